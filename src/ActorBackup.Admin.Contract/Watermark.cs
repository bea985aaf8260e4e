using System.Globalization;

namespace ActorBackup.Admin.Contract;

/// <summary>
/// A point in record time (the Unix seconds of block and vote timestamps) up to which a replica
/// holds every record. Record timestamps have a resolution of one second and a replica only claims
/// a second once every record of it is stored, so no tiebreak below the second is needed.
/// </summary>
public readonly struct Watermark : IComparable<Watermark>, IEquatable<Watermark>
{
    private Watermark(long seconds) => Seconds = seconds;

    /// <summary>Nothing is known yet; earlier than every real watermark.</summary>
    public static Watermark None { get; } = new(long.MinValue);

    /// <summary>Unix seconds; <see cref="long.MinValue"/> for <see cref="None"/>.</summary>
    public long Seconds { get; }

    public bool IsNone => Seconds == long.MinValue;

    /// <summary>The watermark at a record timestamp.</summary>
    public static Watermark At(long unixSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unixSeconds);
        return new Watermark(unixSeconds);
    }

    /// <summary>Restores a watermark from <see cref="Seconds"/> as stored (including <see cref="None"/>).</summary>
    public static Watermark FromStored(long seconds) => seconds == long.MinValue ? None : At(seconds);

    /// <summary>Where a catch-up scan starts: this watermark minus the clock-skew margin, never before time zero.</summary>
    public Watermark Minus(TimeSpan margin) =>
        IsNone ? None : new Watermark(Math.Max(0, Seconds - (long)Math.Ceiling(margin.TotalSeconds)));

    public static Watermark Max(Watermark a, Watermark b) => a >= b ? a : b;

    public int CompareTo(Watermark other) => Seconds.CompareTo(other.Seconds);
    public bool Equals(Watermark other) => Seconds == other.Seconds;
    public override bool Equals(object? obj) => obj is Watermark other && Equals(other);
    public override int GetHashCode() => Seconds.GetHashCode();

    public static bool operator ==(Watermark a, Watermark b) => a.Equals(b);
    public static bool operator !=(Watermark a, Watermark b) => !a.Equals(b);
    public static bool operator <(Watermark a, Watermark b) => a.Seconds < b.Seconds;
    public static bool operator >(Watermark a, Watermark b) => a.Seconds > b.Seconds;
    public static bool operator <=(Watermark a, Watermark b) => a.Seconds <= b.Seconds;
    public static bool operator >=(Watermark a, Watermark b) => a.Seconds >= b.Seconds;

    public override string ToString() =>
        IsNone ? "none" : DateTimeOffset.FromUnixTimeSeconds(Seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
