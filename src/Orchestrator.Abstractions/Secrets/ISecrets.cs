namespace Orchestrator.Abstractions.Secrets;

/// <summary>
/// The named secrets of a silo: values a pipeline definition refers to by name (an input's connection string, an http
/// header, an input's token) so that the value itself is never in the file, the stored graph, the API or the logs.
/// The host reads them from its configuration section <c>Orchestrator:Secrets</c> (e.g. the environment variable
/// <c>Orchestrator__Secrets__warehouse</c>); every silo of a cluster needs the secrets its graph names.
/// </summary>
public interface ISecrets
{
    /// <summary>The value of the secret named <paramref name="name"/>, or null when this silo has none by that name.</summary>
    string? Find(string name);
}
