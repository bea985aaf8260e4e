namespace ActorBackup.Recovery.Archive;

/// <summary>One table found in an archive: its metadata, its data member and how many documents that holds.</summary>
public sealed record ArchiveTable(TableInfo Info, string DataMember, long DocumentCount);
