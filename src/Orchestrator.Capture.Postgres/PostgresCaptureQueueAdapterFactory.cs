using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;

namespace Orchestrator.Capture.Postgres;

/// <summary>Creates the capture adapter, its hash-ring queue mapper and a simple cache (the log is the durability boundary).</summary>
public sealed class PostgresCaptureQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly PostgresCaptureStreamOptions _options;
    private readonly IServiceProvider _services;
    private readonly HashRingBasedStreamQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;

    private PostgresCaptureQueueAdapterFactory(string name, PostgresCaptureStreamOptions options, SimpleQueueCacheOptions cacheOptions, IServiceProvider services)
    {
        _name = name;
        _options = options;
        _services = services;
        _mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = options.QueueCount }, name);
        _cache = new SimpleQueueAdapterCache(cacheOptions, name, services.GetRequiredService<ILoggerFactory>());
    }

    /// <summary>The factory method <c>AddPersistentStreams</c> calls, reading the provider's named options.</summary>
    public static IQueueAdapterFactory Create(IServiceProvider services, string name)
    {
        var options = services.GetOptionsByName<PostgresCaptureStreamOptions>(name);
        options.Validate(name);
        return new PostgresCaptureQueueAdapterFactory(name, options, services.GetOptionsByName<SimpleQueueCacheOptions>(name), services);
    }

    /// <inheritdoc />
    [Obsolete("Use CreateAdapter(CancellationToken).")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    /// <inheritdoc />
    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => Task.FromResult<IQueueAdapter>(new PostgresCaptureQueueAdapter(
        _name,
        _options,
        _services.GetRequiredService<ICaptureTopology>(),
        _services.GetRequiredService<CaptureDatabases>(),
        _services.GetRequiredService<CaptureListener>(),
        _services.GetRequiredService<ILoggerFactory>()));

    /// <inheritdoc />
    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    /// <inheritdoc />
    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    /// <summary>
    /// A failed delivery is never acknowledged: the event keeps its lease and is read again when it expires.
    /// Implicit subscriptions are never faulted.
    /// </summary>
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler(false));
}
