using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Providers.Bale
{
    /// <summary>
    /// The request_ids given to the messages of one run. Safir delivers a request_id once and drops any later request
    /// with it as a repeat, answering success: two different messages under one id (a copied RequestId cell) would both
    /// be reported sent while the second never arrives. The second such message is refused instead. The same message
    /// twice under one id is fine: it is delivered once, which is what the id is for.
    /// </summary>
    /// <remarks>
    /// A run may stream millions of rows, so nothing of a message is kept (issue 16: keeping every prepared message made a
    /// million rows cost 900 MB). Only ids the user gave are recorded: a new id (a GUID) is no other message's. Per id the
    /// run keeps 128 bits of the SHA-256 of the id, 128 bits of the SHA-256 of the message, and the row it came from: about
    /// 50 bytes, whatever the text's length.
    /// </remarks>
    public sealed class BaleRequestIds
    {
        private readonly object _lock = new object();
        private readonly Dictionary<Hash128, Claimed> _claims = new Dictionary<Hash128, Claimed>();
        private readonly SHA256 _sha = SHA256.Create();

        /// <summary>How many request_ids the run has recorded (those the user gave).</summary>
        public int Count
        {
            get { lock (_lock) return _claims.Count; }
        }

        /// <summary>
        /// <see cref="BaleClient.Prepare(BaleMessage, string)"/>, and when the message came with a request_id of its own,
        /// <see cref="Claim"/> of it. <paramref name="row"/> is the message's input row (1-based), null for none: the error
        /// of a later message under the same id names it.
        /// </summary>
        public BaleMessage Prepare(BaleMessage message, string? botIdSources = null, long? row = null)
        {
            var prepared = BaleClient.Prepare(message, botIdSources);
            if (!string.IsNullOrEmpty(message.RequestId)) Claim(prepared, row);
            return prepared;
        }

        /// <summary>
        /// Records a prepared message's request_id (see <see cref="BaleClient.Prepare(BaleMessage)"/>); throws an invalid-input
        /// <see cref="MessagingException"/> (Field RequestId) when the run already gave that id to another message.
        /// </summary>
        public void Claim(BaleMessage prepared, long? row = null)
        {
            if (prepared is null) throw new ArgumentNullException(nameof(prepared));
            if (string.IsNullOrEmpty(prepared.RequestId)) throw new ArgumentException("The message has no request_id: prepare it first.", nameof(prepared));
            lock (_lock)
            {
                var id = HashOf(w => Write(w, prepared.RequestId));
                var message = HashOf(w =>
                {
                    w.Write(prepared.BotId);
                    Write(w, prepared.PhoneNumber);
                    w.Write(prepared.IsSecure);
                    Write(w, prepared.Text);
                    Write(w, prepared.FileId);
                    Write(w, prepared.CopyText);
                });
                if (!_claims.TryGetValue(id, out var first))
                {
                    _claims[id] = new Claimed(message, row ?? 0);
                    return;
                }
                if (first.Message.Equals(message)) return;
                var where = first.Row > 0 ? $"row {first.Row}" : "an earlier message";
                throw new MessagingException(BaleClient.ProviderName, ErrorKind.InvalidInput, "BaleRequestIdIsReused",
                    $"'{prepared.RequestId}' was already the RequestId of another message in this run ({where}); " +
                    "Safir would drop this one as a repeat of it and it would never arrive. Give each message its own RequestId, " +
                    "or leave the RequestId empty for a new one.")
                { Field = "RequestId", RequestId = prepared.RequestId };
            }
        }

        /// <summary>Each text length-prefixed (null apart from empty), so that no two different messages write the same bytes.</summary>
        private static void Write(BinaryWriter writer, string? text)
        {
            if (text is null)
            {
                writer.Write(-1);
                return;
            }
            var bytes = Encoding.UTF8.GetBytes(text);
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }

        private Hash128 HashOf(Action<BinaryWriter> write)
        {
            using (var buffer = new MemoryStream())
            {
                using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) write(writer);
                var hash = _sha.ComputeHash(buffer.GetBuffer(), 0, (int)buffer.Length);
                return new Hash128(BitConverter.ToUInt64(hash, 0), BitConverter.ToUInt64(hash, 8));
            }
        }

        private readonly struct Hash128 : IEquatable<Hash128>
        {
            private readonly ulong _high;
            private readonly ulong _low;

            public Hash128(ulong high, ulong low)
            {
                _high = high;
                _low = low;
            }

            public bool Equals(Hash128 other) => _high == other._high && _low == other._low;

            public override bool Equals(object? obj) => obj is Hash128 other && Equals(other);

            public override int GetHashCode() => unchecked((int)_low ^ (int)(_low >> 32));
        }

        /// <summary>What is kept of the first message under an id: its hash, and its row (0: none).</summary>
        private readonly struct Claimed
        {
            public Claimed(Hash128 message, long row)
            {
                Message = message;
                Row = row;
            }

            public Hash128 Message { get; }
            public long Row { get; }
        }
    }
}
