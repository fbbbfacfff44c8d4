using Orchestrator.Abstractions.Secrets;
namespace Orchestrator.Host.Security;

/// <summary>Wires <see cref="AccessCheck"/> and refuses an exposed host without credentials.</summary>
public static partial class AccessExtensions
{
    /// <summary>
    /// Registers the access check for <paramref name="options"/>. Throws <see cref="InvalidOperationException"/> (the
    /// host prints it and exits with 2) when the configuration listens beyond loopback with no API key and without
    /// <see cref="AccessOptions.AllowAnonymous"/>.
    /// </summary>
    public static IServiceCollection AddOrchestratorAccess(this IServiceCollection services, AccessOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new ApiKeys(options.ApiKeyHashes);
        var exposed = ListenAddresses.Of(configuration).Where(u => !ListenAddresses.IsLoopback(u)).ToList();
        if (exposed.Count > 0 && !keys.Any && !options.AllowAnonymous)
        {
            throw new InvalidOperationException(
                $"Refusing to start: the host listens beyond loopback ({string.Join(", ", exposed)}) and no API key is configured. "
                + "Make one with `orchestrator keys new` and set its hash in Orchestrator:Access:ApiKeyHashes:0 "
                + "(environment variable Orchestrator__Access__ApiKeyHashes__0), or listen on 127.0.0.1 only "
                + "(--urls http://127.0.0.1:8080), or, only behind a proxy that authenticates callers, set Orchestrator:Access:AllowAnonymous=true.");
        }

        services.AddSingleton(keys);
        services.AddSingleton<AccessCheck>();
        services.AddSingleton(new AccessWarning(exposed.Count > 0 && !keys.Any));
        return services;
    }

    /// <summary>Puts the access check in front of everything the app maps after it.</summary>
    public static WebApplication UseOrchestratorAccess(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<AccessWarning>().Anonymous)
        {
            LogAnonymous(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<AccessCheck>());
        }

        app.UseMiddleware<AccessCheck>();
        return app;
    }

    [LoggerMessage(1, LogLevel.Warning, "The host listens beyond loopback and serves callers without an API key (Orchestrator:Access:AllowAnonymous=true): only a proxy in front of it checks who calls")]
    private static partial void LogAnonymous(ILogger logger);

    private sealed record AccessWarning(bool Anonymous);
}
