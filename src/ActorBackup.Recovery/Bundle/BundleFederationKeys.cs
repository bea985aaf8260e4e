using ActorBackup.Ledger.Crypto;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Federation;
using ActorBackup.Recovery.Bundle.Manifest;

namespace ActorBackup.Recovery.Bundle;

/// <summary>
/// The federation keys a bundle is checked with, and what they rest on: a key file the user got from the federation,
/// or the bundle's own word (the voters its blocks list, or its manifest), which proves only that the bundle agrees
/// with itself.
/// </summary>
public sealed record BundleFederationKeys(FederationKeys Keys, string Source, bool IsOwnWord)
{
    public BundleFederation ToManifest() => new(Source, Keys.Members.Select(m => m.PublicKey).ToList());

    /// <summary>A key file's keys.</summary>
    public static BundleFederationKeys FromFile(string path, FederationKeys keys) => new(keys, $"key file {Path.GetFileName(path)}", false);

    /// <summary>The voters the blocks list, in first-seen order, leaving out anything that is not a base58 Ed25519 key.</summary>
    public static BundleFederationKeys FromVoters(IEnumerable<Block> blocks)
    {
        Span<byte> raw = stackalloc byte[Ed25519Crypto.PublicKeyLength];
        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var voter in blocks.SelectMany(b => b.Voters))
        {
            if (seen.Add(voter) && Base58.TryDecodeExact(voter.AsSpan(), raw) && Ed25519Crypto.TryImportPublicKey(raw) is not null)
                keys.Add(voter);
        }
        return new BundleFederationKeys(FederationKeys.FromPublicKeys(keys), "the voters listed by the bundle's blocks", true);
    }

    /// <summary>The keys a manifest names; a key that is not a public key is a <see cref="BundleFormatException"/>.</summary>
    public static BundleFederationKeys FromManifest(string path, BundleManifest manifest)
    {
        if (!FederationKeys.TryCreate(manifest.Federation.Keys.Select(k => new FederationMember(k, null)), out var keys, out var error))
            throw new BundleFormatException($"{path}: the manifest's federation keys are unusable: {error}");
        return new BundleFederationKeys(keys!, $"the manifest of {Path.GetFileName(path)} ({manifest.Federation.Source})", true);
    }

    /// <summary>
    /// The keys every bundle's manifest names, when they all name the same set; a bundle without a manifest, or two
    /// manifests that disagree, is a <see cref="BundleFormatException"/> (the keys must then come from a key file).
    /// </summary>
    public static BundleFederationKeys FromManifests(IReadOnlyList<BundleArchive> bundles)
    {
        if (bundles.FirstOrDefault(b => b.Manifest is null) is { } plain)
            throw new BundleFormatException($"{plain.Path} has no manifest to take federation keys from; pass --federation-keys");
        var first = FromManifest(bundles[0].Path, bundles[0].Manifest!);
        var keys = first.Keys.Members.Select(m => m.PublicKey).ToHashSet(StringComparer.Ordinal);
        foreach (var other in bundles.Skip(1))
        {
            if (!keys.SetEquals(other.Manifest!.Federation.Keys))
                throw new BundleFormatException($"the manifests of {Path.GetFileName(bundles[0].Path)} and {Path.GetFileName(other.Path)} name different federation keys; pass --federation-keys");
        }
        return first with { Source = bundles.Count == 1 ? first.Source : $"the manifests of the {bundles.Count} bundles, which agree ({bundles[0].Manifest!.Federation.Source})" };
    }
}
