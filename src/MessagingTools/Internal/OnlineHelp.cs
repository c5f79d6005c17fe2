namespace MessagingTools.Internal
{
    /// <summary>
    /// Where the cmdlets' online help lives (Get-Help -Online): one page a cmdlet, named after it, under <see cref="Base"/>.
    /// Each cmdlet's HelpUri is <c>Base + "Verb-Noun.md"</c>, and the generated MAML help names the same address as its
    /// "Online Version" link.
    /// </summary>
    internal static class OnlineHelp
    {
        public const string Base = "https://github.com/messagingtools/MessagingTools/blob/main/docs/";
    }
}
