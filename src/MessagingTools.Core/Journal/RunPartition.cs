using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Journal
{
    /// <summary>
    /// One worker's share of a campaign (<c>-Partition i/N</c>, issue 19 item 5): N workers given the same rows each take
    /// the rows whose identity falls in their share, so that between them every row is sent exactly once, each worker with
    /// its own journal.
    /// <para>
    /// A row's identity is its journal key (<see cref="RowIdentity"/>: the hash of what it sends, and which occurrence of
    /// that content it is), which every worker computes alike from the same rows in the same order; it does not depend on
    /// the row's position, so a worker that reads the rows in another order or with other rows between them still takes the
    /// same messages. Its share is the key's SHA-256, read as a number, modulo N: shares are even to within the chance of
    /// hashing (each within a few percent of 1/N for a thousand rows or more).
    /// </para>
    /// <para>A row that cannot become a request (a bad phone) has no content: it falls to the share of its row number
    /// ((row - 1) mod N), so that exactly one worker reports its error.</para>
    /// </summary>
    public sealed class RunPartition
    {
        private readonly RowIdentity _identity = new RowIdentity();

        private RunPartition(int index, int count)
        {
            Index = index;
            Count = count;
        }

        /// <summary>This worker's share, from 1.</summary>
        public int Index { get; }

        /// <summary>How many workers share the rows.</summary>
        public int Count { get; }

        /// <summary>"i/N".</summary>
        public override string ToString() => Index.ToString(CultureInfo.InvariantCulture) + "/" + Count.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// Reads "i/N" (i from 1 to N; spaces allowed around the numbers). Throws a <see cref="MessagingException"/>
        /// (PartitionIsInvalid, Field Partition) naming what is wrong.
        /// </summary>
        public static RunPartition Parse(string? text)
        {
            var value = (text ?? "").Trim();
            var slash = value.IndexOf('/');
            if (slash > 0 &&
                int.TryParse(value.Substring(0, slash).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index) &&
                int.TryParse(value.Substring(slash + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) &&
                count >= 1 && index >= 1 && index <= count)
                return new RunPartition(index, count);
            throw new MessagingException("MessagingTools", ErrorKind.InvalidInput, "PartitionIsInvalid",
                $"-Partition '{text}' is not a share of the rows: write i/N, where N is the number of workers and i this worker's " +
                "number, from 1 to N (e.g. 1/4 ... 4/4; from a Kubernetes Indexed Job: \"$([int]$env:JOB_COMPLETION_INDEX + 1)/4\").")
            { Field = "Partition" };
        }

        /// <summary>
        /// True when the request with this content is this worker's. Called in input order for every request the rows name
        /// (taken or not): occurrences of identical content are counted as the journal counts them.
        /// </summary>
        public bool Takes(IEnumerable<KeyValuePair<string, string?>> content) => Share(_identity.Next(content)) == Index - 1;

        /// <summary>True when the row with this number (from 1) is this worker's: for a row that has no content to hash.</summary>
        public bool TakesRow(long rowNumber) => (rowNumber - 1) % Count == Index - 1;

        private int Share(string key)
        {
            if (Count == 1) return 0;
            byte[] digest;
            using (var sha = SHA256.Create()) digest = sha.ComputeHash(Encoding.UTF8.GetBytes(key));
            ulong number = 0;
            for (int i = 0; i < 8; i++) number = (number << 8) | digest[i];
            return (int)(number % (ulong)Count);
        }
    }
}
