using System.Security.Cryptography;

namespace Ocpp.Rpc.Messages.Tests;

public sealed class SchemaFilesTests
{
    // SHA-1 of the files as shipped in ocpp-rpc@2.2.1 (tools/fetch-schemas.sh prints them): the OCA licence
    // (CC BY-ND 4.0) allows no modification, so any reformatting must fail here.
    [Theory]
    [InlineData("v16", "a1470e14296569554967dd8db4f5756b35f5f511")]
    [InlineData("v201", "dcea1456fd1d4def76b12700aba85ba7c715b5b9")]
    [InlineData("v21", "db790cce2b2c772771c52798b4b732f672f19a80")]
    public void Schema_files_are_byte_identical_to_the_published_ones(string version, string sha1)
    {
#pragma warning disable CA5350 // SHA-1 identifies the published file here; it is not used for security.
        var actual = Convert.ToHexStringLower(SHA1.HashData(File.ReadAllBytes(Repo.SchemaFile(version))));
#pragma warning restore CA5350
        actual.Should().Be(sha1);
    }
}
