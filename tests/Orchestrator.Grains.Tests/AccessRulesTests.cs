using Microsoft.Extensions.Configuration;
using Orchestrator.Abstractions.Secrets;
using Orchestrator.Host.Security;

namespace Orchestrator.Grains.Tests;

/// <summary>The pure parts of the host's access rules: which addresses are loopback, and how keys are stored and checked.</summary>
public sealed class AccessRulesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://127.0.0.2:8080", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("https://orchestrator.example.com", false)]
    [InlineData("http://192.168.1.10:80/base", false)]
    public void Only_loopback_addresses_count_as_loopback(string url, bool loopback) =>
        Assert.Equal(loopback, ListenAddresses.IsLoopback(url));

    [Fact]
    public void Listen_addresses_come_from_urls_ports_and_kestrel_endpoints()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:1; http://localhost:2",
            ["http_ports"] = "3",
            ["Kestrel:Endpoints:Api:Url"] = "https://10.0.0.1:4",
        }).Build();

        Assert.Equal(["http://127.0.0.1:1", "http://localhost:2", "http://*:3", "https://10.0.0.1:4"], ListenAddresses.Of(configuration));
    }

    [Fact]
    public void A_new_key_is_accepted_by_its_hash_only_and_other_keys_are_not()
    {
        var (key, hash) = ApiKeys.Create();
        var (other, _) = ApiKeys.Create();
        var keys = new ApiKeys([hash]);

        Assert.Null(ApiKeys.HashProblem(hash));
        Assert.DoesNotContain(key, hash, StringComparison.Ordinal);
        Assert.True(keys.Accepts(key));
        Assert.False(keys.Accepts(other));
        Assert.False(keys.Accepts(""));
        Assert.False(new ApiKeys([]).Any);
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256:zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void A_hash_in_another_form_is_refused_without_echoing_it_whole(string hash)
    {
        var problem = ApiKeys.HashProblem(hash);

        Assert.NotNull(problem);
        Assert.DoesNotContain(hash.Length > 12 ? hash : "\0", problem, StringComparison.Ordinal);
    }
}
