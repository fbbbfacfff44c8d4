using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// The position after a page's last job: its creation time (as stored, to the microsecond) and id, as an opaque
/// URL-safe text.
/// </summary>
internal static class JobCursor
{
    /// <summary>The cursor after the job created at <paramref name="createdAt"/> with id <paramref name="jobId"/>.</summary>
    public static string Encode(DateTimeOffset createdAt, string jobId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{createdAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{jobId}"));

    /// <summary>The position a cursor names; <see cref="ArgumentException"/> for text that is not a cursor.</summary>
    public static (DateTimeOffset CreatedAt, string JobId) Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar > 0 && long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return (new DateTimeOffset(ticks, TimeSpan.Zero), text[(bar + 1)..]);
            }
        }
        catch (FormatException)
        {
            // Reported below, as for any other text that is not a cursor.
        }

        throw new ArgumentException($"'{cursor}' is not a job cursor; pass the nextCursor of the page before.", nameof(cursor));
    }
}
