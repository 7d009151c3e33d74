using PaySim.LoadEngine.Running;

namespace PaySim.LoadEngine;

public static class Step
{
    /// <summary>
    /// Runs and times one named step of an iteration (latency from the step's actual start; the
    /// iteration as a whole is timed from its intended start). An exception becomes
    /// <c>Fail("exception")</c>, except cancellation at the end of the run, which is rethrown and not counted.
    /// Outside the engine (a hand-made context in a unit test) the step just runs.
    /// </summary>
    public static async Task<Response> Run(string name, IScenarioContext context, Func<Task<Response>> step)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(step);
        if (context is not ScenarioContext sc)
        {
            return await step().ConfigureAwait(false);
        }

        var time = sc.TimeProvider;
        var start = time.GetTimestamp();
        Response response;
        try
        {
            response = await step().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (sc.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            response = Response.Fail("exception", $"{ex.GetType().Name}: {ex.Message}");
        }

        if (sc.Record && !sc.CancellationToken.IsCancellationRequested)
        {
            var runtime = sc.Runtime;
            var micros = runtime.ToMicros(time.GetTimestamp() - start);
            runtime.Stats.GetStep(name).Record(response, micros);
            if (runtime.Observer is { } observer)
            {
                observer.OnRequest(new RequestSample(runtime.Props.Name, name, response.IsOk, response.EffectiveStatusCode, micros, time.GetUtcNow()));
            }
        }

        return response;
    }
}
