namespace PaySim.LoadEngine;

/// <summary>
/// Sees every counted request as it completes: each iteration, and each step timed with <see cref="Step.Run"/>
/// (<see cref="LoadTestRunner.WithRequestObserver"/>). It sees exactly what the statistics count: nothing during
/// warm-up, nothing an end of the run cut short. Called on the load's own threads, concurrently, on the hot path:
/// it must return at once and never block (hand the sample to a bounded queue and drop it when that is full).
/// </summary>
public interface IRequestObserver
{
    void OnRequest(in RequestSample sample);
}
