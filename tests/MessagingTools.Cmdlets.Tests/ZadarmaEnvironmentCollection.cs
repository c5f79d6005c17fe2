namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// The Zadarma cmdlet test classes: some set the MESSAGINGTOOLS_ZADARMA_* environment variables (process-wide) and one
/// expects them unset, and they share Zadarma's rate-limit gate, so they run one class after another.
/// </summary>
[CollectionDefinition("Zadarma environment")]
public sealed class ZadarmaEnvironmentCollection { }
