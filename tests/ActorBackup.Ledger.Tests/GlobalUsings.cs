global using ActorBackup.Ledger.Crypto;
global using ActorBackup.Ledger.Documents;
global using ActorBackup.Ledger.Federation;
global using ActorBackup.Ledger.Json;
global using ActorBackup.Ledger.Validation;
global using ActorBackup.Ledger.Tests.Support;
global using Xunit;
