using System;
using System.Collections.Generic;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Providers.Bale
{
    /// <summary>
    /// The request_ids of one run and the message each was given to. Safir delivers a request_id once and drops any
    /// later request with it as a repeat, answering success: two different messages under one id (a copied RequestId
    /// cell) would both be reported sent while the second never arrives. The second such message is refused instead.
    /// The same message twice under one id is fine: it is delivered once, which is what the id is for.
    /// </summary>
    public sealed class BaleRequestIds
    {
        private readonly object _lock = new object();
        private readonly Dictionary<string, BaleMessage> _messages = new Dictionary<string, BaleMessage>(StringComparer.Ordinal);

        /// <summary>
        /// Records a prepared message's request_id (see <see cref="BaleClient.Prepare(BaleMessage)"/>); throws an invalid-input
        /// <see cref="MessagingException"/> (Field RequestId) when the run already gave that id to another message.
        /// </summary>
        public void Claim(BaleMessage prepared)
        {
            if (prepared is null) throw new ArgumentNullException(nameof(prepared));
            if (string.IsNullOrEmpty(prepared.RequestId)) throw new ArgumentException("The message has no request_id: prepare it first.", nameof(prepared));
            lock (_lock)
            {
                if (!_messages.TryGetValue(prepared.RequestId!, out var first))
                {
                    _messages[prepared.RequestId!] = prepared;
                    return;
                }
                if (SameMessage(first, prepared)) return;
                throw new MessagingException(BaleClient.ProviderName, ErrorKind.InvalidInput, "BaleRequestIdIsReused",
                    $"'{prepared.RequestId}' was already the RequestId of another message in this run (to {first.PhoneNumber}); " +
                    "Safir would drop this one as a repeat of it and it would never arrive. Give each message its own RequestId, " +
                    "or leave the RequestId empty for a new one.")
                { Field = "RequestId", RequestId = prepared.RequestId };
            }
        }

        private static bool SameMessage(BaleMessage a, BaleMessage b) =>
            a.BotId == b.BotId && a.PhoneNumber == b.PhoneNumber && a.IsSecure == b.IsSecure &&
            string.Equals(a.Text, b.Text, StringComparison.Ordinal) &&
            string.Equals(a.FileId, b.FileId, StringComparison.Ordinal) &&
            string.Equals(a.CopyText, b.CopyText, StringComparison.Ordinal);
    }
}
