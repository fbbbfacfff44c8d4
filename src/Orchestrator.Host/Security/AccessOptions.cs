namespace Orchestrator.Host.Security;

/// <summary>
/// Who may use the host's HTTP surface (the API, the dashboard), from <c>Orchestrator:Access</c>. With API keys
/// configured every request needs one; without any, the host serves only loopback and refuses to start when it
/// listens beyond it (unless <see cref="AllowAnonymous"/> says the network in front of it checks callers).
/// </summary>
public sealed class AccessOptions
{
    /// <summary>
    /// The SHA-256 hashes of the accepted API keys, each <c>sha256:</c> and 64 hex digits
    /// (<c>Orchestrator:Access:ApiKeyHashes:0</c>, …); <c>orchestrator keys new</c> makes a key and its hash. Only
    /// hashes are stored: a key is shown once, when it is made.
    /// </summary>
    public List<string> ApiKeyHashes { get; set; } = [];

    /// <summary>
    /// Serves callers without a key even when the host listens beyond loopback: only behind a proxy or network that
    /// authenticates them itself. Logged as a warning at every start.
    /// </summary>
    public bool AllowAnonymous { get; set; }
}
