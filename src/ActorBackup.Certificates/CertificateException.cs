namespace ActorBackup.Certificates;

/// <summary>A certificate or key file that cannot be made, read or used; the message is one line naming the file.</summary>
public sealed class CertificateException(string message, Exception? inner = null) : Exception(message, inner);
