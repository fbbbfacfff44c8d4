namespace Orchestrator.Testing;

/// <summary>
/// What the integration tests run against, from the environment that <c>scripts/env.sh</c> prepares.
/// A missing variable fails the test with the command that sets it up, never skips it.
/// </summary>
public static class TestEnvironment
{
    /// <summary>Connection string of the test PostgreSQL server (any database on it; tests create their own).</summary>
    public static string PostgresConnectionString => Require("ORCHESTRATOR_PG");

    /// <summary>A local image with busybox (sh, sha256sum, cat...) that needs no registry.</summary>
    public static string TestImage => Require("ORCHESTRATOR_TEST_IMAGE");

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. Run the tests with scripts/test.sh, or eval \"$(scripts/env.sh)\" first.");
}
