namespace Ocpp.Rpc.Client;

/// <summary>
/// One CSMS the client may connect to, with its own URL, security profile, credentials and TLS settings (an OCPP 2.0.1
/// connection profile, <c>NetworkConnectionProfiles</c> ordered by <c>NetworkConfigurationPriority</c>; in 1.6 a
/// fallback central system). Immutable: derive variants with <c>with</c>.
/// </summary>
public sealed record OcppEndpoint
{
    /// <summary>The CSMS base URI, <c>ws://</c> or <c>wss://</c>; the identity is appended as a path segment.</summary>
    public Uri? Url { get; init; }

    /// <summary>
    /// The security profile this endpoint is used with (0-3), checked against the URL and credentials when the client is
    /// created or the endpoint is set: 0 = <c>ws://</c> without a password, 1 = <c>ws://</c> with a password,
    /// 2 = <c>wss://</c> with a password, 3 = <c>wss://</c> with a client certificate. <see langword="null"/> checks nothing.
    /// </summary>
    public int? SecurityProfile { get; init; }

    /// <summary>The Basic-auth password for this endpoint; <see langword="null"/> uses <see cref="OcppClientOptions.Password"/>.</summary>
#pragma warning disable CA1819 // Same shape as OcppClientOptions.Password.
    public byte[]? Password { get; init; }
#pragma warning restore CA1819

    /// <summary>The TLS settings for this endpoint; <see langword="null"/> uses <see cref="OcppClientOptions.Tls"/>.</summary>
    public OcppClientTlsOptions? Tls { get; init; }

    /// <summary>Returns a copy with a text password sent as UTF-8.</summary>
    /// <param name="password">The password.</param>
    /// <returns>The new endpoint.</returns>
    public OcppEndpoint WithPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return this with { Password = System.Text.Encoding.UTF8.GetBytes(password) };
    }
}

/// <summary>The client moved to another endpoint: after failed attempts on the previous one, or when told to.</summary>
/// <param name="Index">The new endpoint's index in <see cref="OcppClient.Endpoints"/>.</param>
/// <param name="Endpoint">The new endpoint.</param>
/// <param name="Uri">The URL the client connects to now.</param>
/// <param name="Requested">Whether <see cref="OcppClient.SwitchEndpointAsync"/> asked for it (false: fallback after failures).</param>
public sealed record OcppClientEndpointChangedEventArgs(int Index, OcppEndpoint Endpoint, Uri Uri, bool Requested);
