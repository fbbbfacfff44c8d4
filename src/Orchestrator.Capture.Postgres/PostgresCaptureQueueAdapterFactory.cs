using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// Creates the capture adapter with a hash-ring queue mapper over <see cref="PostgresCaptureStreamOptions.QueueCount"/>
/// queues and a simple cache (the event log, not the cache, is the durability boundary). On a silo it owns the
/// source databases' connections, opened when the first receiver starts; the service provider disposes it.
/// </summary>
public sealed class PostgresCaptureQueueAdapterFactory : IQueueAdapterFactory, IAsyncDisposable
{
    private readonly string _name;
    private readonly PostgresCaptureStreamOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly HashRingBasedStreamQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly CaptureReceivers _receivers = new();
    private readonly Lazy<CaptureDatabases> _databases;

    private PostgresCaptureQueueAdapterFactory(string name, PostgresCaptureStreamOptions options, SimpleQueueCacheOptions cacheOptions, IServiceProvider services)
    {
        _name = name;
        _options = options;
        _loggerFactory = services.GetRequiredService<ILoggerFactory>();
        _mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = options.QueueCount }, name);
        _cache = new SimpleQueueAdapterCache(cacheOptions, name, _loggerFactory);
        _databases = new(() => new CaptureDatabases(services.GetRequiredService<ICaptureTopology>(), options.QueueCount, _loggerFactory));
    }

    /// <summary>The factory method <c>AddPersistentStreams</c> calls; reads the provider's named options.</summary>
    public static PostgresCaptureQueueAdapterFactory Create(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var options = services.GetOptionsByName<PostgresCaptureStreamOptions>(name);
        new PostgresCaptureStreamOptionsValidator(options, name).ValidateConfiguration();
        return new PostgresCaptureQueueAdapterFactory(name, options, services.GetOptionsByName<SimpleQueueCacheOptions>(name), services);
    }

    /// <summary>How many queues this silo reads now.</summary>
    internal int ReceiverCount => _receivers.Count;

    /// <summary>The source databases this factory's receivers read (opened on first use).</summary>
    internal CaptureDatabases Databases => _databases.Value;

    /// <inheritdoc />
    [Obsolete("Use CreateAdapter(CancellationToken).")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    /// <inheritdoc />
    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        Task.FromResult<IQueueAdapter>(new PostgresCaptureQueueAdapter(_name, _options, _databases, _receivers, _loggerFactory));

    /// <inheritdoc />
    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    /// <inheritdoc />
    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    /// <inheritdoc />
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new PostgresCaptureStreamFailureHandler(queueId, _receivers));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_databases.IsValueCreated)
        {
            await _databases.Value.DisposeAsync();
        }
    }
}
