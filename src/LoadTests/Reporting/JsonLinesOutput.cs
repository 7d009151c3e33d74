using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using PaySim.LoadEngine;
using PaySim.LoadTests.Steps;

namespace PaySim.LoadTests.Reporting;

/// <summary>
/// <c>run --out json=PATH</c>: every counted request as k6's JSON output writes its samples (k6 <c>output/json</c>:
/// <c>wrapper.go</c>'s envelopes, <c>json.go</c>'s writer), so jq and Grafana's JSON sources read it; scripts written for
/// k6 need the metric names mapped (<c>http_req_duration</c> → <c>step_duration</c>, <c>http_reqs</c> → <c>step_reqs</c>,
/// <c>expected_response</c> → <c>ok</c>).
/// <para>
/// Matched: newline-delimited JSON, one object a line; a <c>Metric</c> line
/// <c>{"type":"Metric","data":{"name":…,"type":"trend"|"counter","contains":"time"|"default","thresholds":[],"submetrics":null},"metric":…}</c>
/// the first time a metric appears, before its first point; then a <c>Point</c> line per sample,
/// <c>{"type":"Point","data":{"time":…,"value":…,"tags":{…}},"metric":…}</c>; time values in milliseconds; tag values are
/// strings; a PATH ending in <c>.gz</c> is gzip-compressed; the file is replaced, not appended to. The metrics, k6's
/// idea for a wallet call: <c>step_duration</c> (trend, ms) and <c>step_reqs</c> (counter, 1 a call) per timed step,
/// what <c>http_req_duration</c> and <c>http_reqs</c> are per HTTP request (a step is one wallet call, timed from its
/// start to its reply: k6's duration without its <c>http_req_blocked</c>/<c>connecting</c> split); and
/// <c>iteration_duration</c> (trend, ms, from the iteration's intended start, so a late start counts) and
/// <c>iterations</c> (counter) per iteration, as k6 names them. The <c>sms_wait</c> step (reading the OTP from the
/// simulator's SMS inbox, not a wallet call) has metrics of its own, <c>sms_wait_duration</c> (trend, ms) and
/// <c>sms_waits</c> (counter), so the <c>step_reqs</c> points count wallet requests only, as k6's <c>http_reqs</c>.
/// </para>
/// <para>
/// Where it differs: tags are <c>scenario</c>, <c>step</c> (step metrics only), <c>status</c> (the step's status
/// code: an HTTP code, or a wallet error code) and <c>ok</c> (<c>"true"</c>/<c>"false"</c>, the response's verdict, what
/// k6 calls <c>expected_response</c>); k6's <c>method</c>, <c>url</c>, <c>name</c>, <c>proto</c>, <c>group</c> are not
/// written. The Metric line has <c>name</c> and no <c>tainted</c> (as newer k6 builds write it); its <c>thresholds</c>
/// is always empty, even when a claim judges the metric. <c>json=-</c> (stdout) is refused. <c>time</c> is UTC with microseconds (<c>2026-12-07T22:01:25.123456Z</c>; k6 writes the local offset and
/// nanoseconds); a point's time is when the request ended, as k6's HTTP samples. No <c>vus</c>, <c>data_sent</c>,
/// <c>checks</c> or <c>dropped_iterations</c> points: per-second figures are in timeseries.csv. Requests in warm-up or
/// cut short by the end of the run are not written, as the report does not count them. k6 flushes every 200 ms while the
/// test runs; this writes as the samples come, through a bounded queue (<see cref="Capacity"/> samples) to one writer
/// task, so the load never waits on the disk: when the queue is full a sample is dropped and counted
/// (<see cref="DroppedRequests"/>), where k6 would hold it in memory. A request counts as written only once its bytes
/// were flushed; when the file fails, the rest counts as dropped.
/// </para>
/// </summary>
internal sealed class JsonLinesOutput : IRequestObserver
{
    /// <summary>Samples the queue holds before it drops: a few seconds of the fastest load the harness sends.</summary>
    public const int Capacity = 65_536;

    public const string StepDuration = "step_duration";
    public const string StepRequests = "step_reqs";
    public const string SmsWaitDuration = "sms_wait_duration";
    public const string SmsWaits = "sms_waits";
    public const string IterationDuration = "iteration_duration";
    public const string Iterations = "iterations";

    private const int FlushBytes = 64 * 1024;

    private readonly Channel<RequestSample> _queue;
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
    private long _dropped;
    private long _requests;
    private long _points;
    private long _pendingRequests;
    private Task? _writer;
    private Func<Stream>? _open;
    private string? _error;

    public JsonLinesOutput(OutTarget target, int capacity = Capacity)
    {
        Target = target;
        _queue = Channel.CreateBounded<RequestSample>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    /// <summary>Tests: writes to the stream <paramref name="open"/> gives instead of creating <see cref="OutTarget.Path"/>.</summary>
    internal JsonLinesOutput(OutTarget target, Func<Stream> open, int capacity = Capacity)
        : this(target, capacity)
    {
        _open = open;
    }

    public OutTarget Target { get; }

    /// <summary>Requests written: their bytes were flushed to the file without an error (two points each).</summary>
    public long WrittenRequests => Interlocked.Read(ref _requests);

    /// <summary>Point lines written.</summary>
    public long WrittenPoints => Interlocked.Read(ref _points);

    /// <summary>Requests not written: the queue was full, or the file failed before their bytes were flushed to it.</summary>
    public long DroppedRequests => Interlocked.Read(ref _dropped);

    /// <summary>Creates (or replaces) the file and starts the writer; samples observed before wait in the queue.</summary>
    public void Start()
    {
        var file = _open?.Invoke() ?? new FileStream(Target.Path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        Stream stream = Target.Gzip ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: false) : file;
        _writer = Task.Run(() => WriteAsync(stream));
    }

    /// <summary>The load's side: never waits; a full queue drops the sample and counts it.</summary>
    public void OnRequest(in RequestSample sample)
    {
        if (!_queue.Writer.TryWrite(sample))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes what is queued and closes the file (once the load has ended: later samples are not taken).</summary>
    public async Task FinishAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is { } writer)
        {
            await writer.ConfigureAwait(false);
        }
        else
        {
            // Never started (the load did not run): nothing was written, nothing is kept.
            while (_queue.Reader.TryRead(out _))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    /// <summary>
    /// After <see cref="FinishAsync"/>: the run's closing line, and when anything was dropped or the file failed, the
    /// warning for the run's warnings (null when every request was written).
    /// </summary>
    public (string Line, string? Warning) Closing()
    {
        var dropped = DroppedRequests;
        var line = $"out: {WrittenPoints.ToString(CultureInfo.InvariantCulture)} points of {WrittenRequests.ToString(CultureInfo.InvariantCulture)} requests written to {Target.Path} ({(Target.Gzip ? "gzip-compressed " : string.Empty)}k6 JSON lines), {dropped.ToString(CultureInfo.InvariantCulture)} dropped";
        string? warning = null;
        if (_error is not null)
        {
            warning = $"--out: writing {Target.Path} failed after {WrittenRequests.ToString(CultureInfo.InvariantCulture)} requests ({_error}); the other {dropped.ToString(CultureInfo.InvariantCulture)} were dropped";
        }
        else if (dropped > 0)
        {
            warning = $"--out: {dropped.ToString(CultureInfo.InvariantCulture)} of {(dropped + WrittenRequests).ToString(CultureInfo.InvariantCulture)} requests were dropped from {Target.Path}: its writer fell behind the load (the report's figures count them all)";
        }

        return (line, warning);
    }

    private async Task WriteAsync(Stream stream)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        try
        {
            await WriteAllAsync(stream, json, buffer).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Closing the file failed (the gzip trailer could not be written): said in the run's warning.
            _error ??= ex.Message.ReplaceLineEndings(" ");
        }
    }

    private async Task WriteAllAsync(Stream stream, Utf8JsonWriter json, ArrayBufferWriter<byte> buffer)
    {
        await using (stream.ConfigureAwait(false))
        {
            var reader = _queue.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var sample))
                {
                    if (_error is not null)
                    {
                        Interlocked.Increment(ref _dropped);
                        continue;
                    }

                    if (sample.Step is null)
                    {
                        WritePair(json, buffer, sample, IterationDuration, Iterations);
                    }
                    else if (sample.Step == StepNames.SmsWait)
                    {
                        WritePair(json, buffer, sample, SmsWaitDuration, SmsWaits);
                    }
                    else
                    {
                        WritePair(json, buffer, sample, StepDuration, StepRequests);
                    }

                    _pendingRequests++;
                    if (buffer.WrittenCount >= FlushBytes || reader.Count == 0)
                    {
                        await DrainAsync(stream, buffer).ConfigureAwait(false);
                    }
                }
            }

            await DrainAsync(stream, buffer).ConfigureAwait(false);
        }
    }

    private async Task DrainAsync(Stream stream, ArrayBufferWriter<byte> buffer)
    {
        if (_error is not null || buffer.WrittenCount == 0)
        {
            buffer.Clear();
            Lost();
            return;
        }

        try
        {
            // Counted as written only once flushed: a write the stream only buffered can still fail (ENOSPC on flush).
            await stream.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
            Interlocked.Add(ref _requests, _pendingRequests);
            Interlocked.Add(ref _points, 2 * _pendingRequests);
            _pendingRequests = 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A disk that filled up mid-run: what was not flushed and the rest are dropped and said, the run goes on.
            _error = ex.Message.ReplaceLineEndings(" ");
            Lost();
        }

        buffer.Clear();
    }

    /// <summary>The requests in a buffer that never reached the file: dropped.</summary>
    private void Lost()
    {
        Interlocked.Add(ref _dropped, _pendingRequests);
        _pendingRequests = 0;
    }

    private void WritePair(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, in RequestSample sample, string duration, string count)
    {
        Declare(json, buffer, duration, "trend", "time");
        WritePoint(json, buffer, sample, duration, sample.LatencyMicros / 1000.0);
        Declare(json, buffer, count, "counter", "default");
        WritePoint(json, buffer, sample, count, 1);
    }

    private void Declare(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, string metric, string type, string contains)
    {
        if (!_declared.Add(metric))
        {
            return;
        }

        json.WriteStartObject();
        json.WriteString("type"u8, "Metric"u8);
        json.WriteStartObject("data"u8);
        json.WriteString("name"u8, metric);
        json.WriteString("type"u8, type);
        json.WriteString("contains"u8, contains);
        json.WriteStartArray("thresholds"u8);
        json.WriteEndArray();
        json.WriteNull("submetrics"u8);
        json.WriteEndObject();
        json.WriteString("metric"u8, metric);
        json.WriteEndObject();
        EndLine(json, buffer);
    }

    private static void WritePoint(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, in RequestSample sample, string metric, double value)
    {
        Span<char> time = stackalloc char[32];
        sample.EndedUtc.UtcDateTime.TryFormat(time, out var length, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        json.WriteStartObject();
        json.WriteString("type"u8, "Point"u8);
        json.WriteStartObject("data"u8);
        json.WriteString("time"u8, time[..length]);
        json.WriteNumber("value"u8, value);
        json.WriteStartObject("tags"u8);
        json.WriteString("scenario"u8, sample.Scenario);
        if (sample.Step is { } step)
        {
            json.WriteString("step"u8, step);
        }

        json.WriteString("status"u8, sample.StatusCode);
        json.WriteString("ok"u8, sample.IsOk ? "true"u8 : "false"u8);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteString("metric"u8, metric);
        json.WriteEndObject();
        EndLine(json, buffer);
    }

    private static void EndLine(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer)
    {
        json.Flush();
        json.Reset();
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
    }
}
