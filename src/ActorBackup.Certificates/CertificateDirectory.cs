using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace ActorBackup.Certificates;

/// <summary>
/// The files of a cluster's CA in one directory, as <c>actorbackup certs init</c> writes them: <c>ca.crt</c> (every node
/// trusts it), <c>ca/ca.key</c> (only <c>certs issue</c> needs it: keep it off the nodes), and per node <c>NAME.crt</c>,
/// <c>NAME.key</c> and <c>NAME.conf</c>, the HOCON a node file includes to turn mutual TLS on. Keys are written readable
/// by their owner only.
/// </summary>
public sealed partial class CertificateDirectory(string directory)
{
    public const string CaCertificateName = "ca.crt";

    public string Root { get; } = Path.GetFullPath(directory);

    public string CaCertificate => Path.Combine(Root, CaCertificateName);

    public string CaKey => Path.Combine(Root, "ca", "ca.key");

    public string CertificateOf(string name) => Path.Combine(Root, name + ".crt");

    public string KeyOf(string name) => Path.Combine(Root, name + ".key");

    public string ConfOf(string name) => Path.Combine(Root, name + ".conf");

    /// <summary>A node name: letters, digits, '-', '_' and '.', starting with a letter or digit.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>
    /// Creates the CA and one certificate per name. Refuses a directory that already holds a CA, so that running it twice
    /// never replaces the CA the nodes trust.
    /// </summary>
    /// <param name="mountDirectory">Where the nodes will see these files (a container's mount); null for <see cref="Root"/>.</param>
    /// <exception cref="CertificateException">The directory already holds a CA, or a file cannot be written.</exception>
    public void Init(string clusterName, IReadOnlyList<NodeName> nodes, TimeSpan validity, string? mountDirectory)
    {
        if (File.Exists(CaCertificate) || File.Exists(CaKey))
            throw new CertificateException($"{Root} already holds a CA ({CaCertificateName}): add nodes with `certs issue`, or choose an empty directory");
        Directory.CreateDirectory(Root);
        CreatePrivateDirectory(Path.GetDirectoryName(CaKey)!);
        using var ca = CertificateAuthority.Create(clusterName + " backup cluster CA", validity + TimeSpan.FromDays(1));
        WritePrivate(CaKey, ca.KeyPem());
        Write(CaCertificate, ca.Certificate.ExportCertificatePem());
        foreach (var node in nodes)
            WriteNode(ca, node, validity, mountDirectory);
    }

    /// <summary>Adds a certificate for one more node, signed by the CA of this directory.</summary>
    /// <exception cref="CertificateException">No CA here, a certificate of that name exists, or a file cannot be written.</exception>
    public void Issue(NodeName node, TimeSpan validity, string? mountDirectory)
    {
        if (!File.Exists(CaKey))
            throw new CertificateException($"{CaKey} does not exist: `certs issue` needs the directory `certs init` wrote, with the CA key");
        if (File.Exists(CertificateOf(node.Name)))
            throw new CertificateException($"{CertificateOf(node.Name)} already exists: choose another name or remove the old files first");
        using var ca = CertificateAuthority.Load(CaCertificate, CaKey);
        WriteNode(ca, node, validity, mountDirectory);
    }

    /// <summary>The HOCON of <c>NAME.conf</c>: the TLS files of the node as the node will see them.</summary>
    public string IncludeText(string name, string? mountDirectory)
    {
        var at = mountDirectory ?? Root;
        string Path(string file) => System.Text.Json.JsonSerializer.Serialize(at.TrimEnd('/') + "/" + file);
        return $$"""
            # Mutual TLS for backup node {{name}}, written by `actorbackup certs`. Include it from the node file
            # (include "{{name}}.conf"); the seed nodes are then written akka.ssl.tcp://actorbackup@HOST:PORT.
            actorbackup.tls {
              ca = {{Path(CaCertificateName)}}
              certificate = {{Path(name + ".crt")}}
              key = {{Path(name + ".key")}}
            }

            """;
    }

    private void WriteNode(CertificateAuthority ca, NodeName node, TimeSpan validity, string? mountDirectory)
    {
        var (certificate, key) = ca.Issue(node.Name, node.Hosts, validity);
        using (certificate)
        using (key)
        {
            WritePrivate(KeyOf(node.Name), key.ExportPkcs8PrivateKeyPem());
            Write(CertificateOf(node.Name), certificate.ExportCertificatePem());
            Write(ConfOf(node.Name), IncludeText(node.Name, mountDirectory));
        }
    }

    private static void Write(string path, string text)
    {
        try
        {
            File.WriteAllText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CertificateException($"cannot write {path}: {e.Message}", e);
        }
    }

    private static void WritePrivate(string path, string text)
    {
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CertificateException($"cannot write {path}: {e.Message}", e);
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}

/// <summary>A node to certify: its name (the certificate's subject and file names) and the host names it is reached by.</summary>
public sealed record NodeName(string Name, IReadOnlyList<string> Hosts);
