using System.Globalization;
using V16 = Ocpp.Rpc.Messages.V16;
using V201 = Ocpp.Rpc.Messages.V201;
using V21 = Ocpp.Rpc.Messages.V21;

namespace Ocpp.Rpc.Samples.Csms.Handlers;

/// <summary>
/// Finds the energy register (<c>Energy.Active.Import.Register</c>, the default measurand) in meter values, in Wh.
/// Phase-specific readings are skipped: the total is wanted.
/// </summary>
internal static class EnergyReadings
{
    public static decimal? LastRegisterWh(IReadOnlyList<V16.MeterValue>? meterValues)
    {
        decimal? last = null;
        foreach (V16.SampledValue sample in meterValues?.SelectMany(m => m.SampledValue) ?? [])
        {
            if (sample.Measurand is null or V16.Measurand.EnergyActiveImportRegister && sample.Phase is null
                && sample.Format is null or V16.ValueFormat.Raw
                && decimal.TryParse(sample.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal value))
            {
                last = sample.Unit == V16.UnitOfMeasure.KWh ? value * 1000 : value;
            }
        }

        return last;
    }

    public static decimal? LastRegisterWh(IReadOnlyList<V201.MeterValueType>? meterValues)
    {
        decimal? last = null;
        foreach (V201.SampledValueType sample in meterValues?.SelectMany(m => m.SampledValue) ?? [])
        {
            if (sample.Measurand is null or V201.MeasurandEnumType.EnergyActiveImportRegister && sample.Phase is null)
            {
                last = ToWh(sample.Value, sample.UnitOfMeasure?.Unit, sample.UnitOfMeasure?.Multiplier);
            }
        }

        return last;
    }

    public static decimal? LastRegisterWh(IReadOnlyList<V21.MeterValueType>? meterValues)
    {
        decimal? last = null;
        foreach (V21.SampledValueType sample in meterValues?.SelectMany(m => m.SampledValue) ?? [])
        {
            if (sample.Measurand is null or V21.MeasurandEnumType.EnergyActiveImportRegister && sample.Phase is null)
            {
                last = ToWh(sample.Value, sample.UnitOfMeasure?.Unit, sample.UnitOfMeasure?.Multiplier);
            }
        }

        return last;
    }

    // 2.x: value × 10^multiplier in the given unit (default Wh).
    private static decimal ToWh(decimal value, string? unit, int? multiplier)
    {
        decimal scaled = value;
        for (int m = multiplier ?? 0; m > 0; m--)
        {
            scaled *= 10;
        }

        for (int m = multiplier ?? 0; m < 0; m++)
        {
            scaled /= 10;
        }

        return string.Equals(unit, "kWh", StringComparison.OrdinalIgnoreCase) ? scaled * 1000 : scaled;
    }
}
