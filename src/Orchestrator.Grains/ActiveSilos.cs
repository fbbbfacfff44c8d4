namespace Orchestrator.Grains;

/// <summary>The active members of the cluster, named as job records and graph reports name silos.</summary>
internal static class ActiveSilos
{
    /// <summary>The addresses (<c>SiloAddress.ToParsableString</c>) of the silos membership holds active now.</summary>
    public static List<string> Of(IClusterMembershipService membership) =>
        membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress.ToParsableString())
            .ToList();
}
