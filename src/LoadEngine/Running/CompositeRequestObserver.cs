namespace PaySim.LoadEngine.Running;

/// <summary>
/// Two or more request observers in the order they were added (<see cref="LoadTestRunner.WithRequestObserver"/>). Only
/// built once a second observer is added: with one the hot path calls it directly, with none it pays a null check.
/// </summary>
internal sealed class CompositeRequestObserver : IRequestObserver
{
    private readonly IRequestObserver[] _observers;

    private CompositeRequestObserver(IRequestObserver[] observers)
    {
        _observers = observers;
    }

    /// <summary>The observers called, in order.</summary>
    public IReadOnlyList<IRequestObserver> Observers => _observers;

    /// <summary><paramref name="existing"/> (none, one, or a composite) followed by <paramref name="added"/>.</summary>
    public static IRequestObserver Append(IRequestObserver? existing, IRequestObserver added) => existing switch
    {
        null => added,
        CompositeRequestObserver composite => new CompositeRequestObserver([.. composite._observers, added]),
        _ => new CompositeRequestObserver([existing, added]),
    };

    public void OnRequest(in RequestSample sample)
    {
        foreach (var observer in _observers)
        {
            observer.OnRequest(in sample);
        }
    }
}
