using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MessagingTools.Core.Providers.Zadarma.Calls;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// Tab completion of Zadarma's names where a value outside the list must still be allowed or refused by the module's
    /// own check (so not a ValidateSet): -Event (the call events, ZadarmaCallEvents.Known; another name is allowed) and
    /// -Language (ZadarmaRoute.Languages; another is refused by the route with the field named).
    /// </summary>
    public sealed class ZadarmaNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IEnumerable<string> names = parameterName == "Language" ? ZadarmaRoute.Languages : ZadarmaCallEvents.Known;
            var word = (wordToComplete ?? "").Trim('\'', '"');
            return names.Where(n => n.StartsWith(word, System.StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
        }
    }
}
