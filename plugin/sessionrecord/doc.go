// Package sessionrecord keeps, in the session's own namespace, what boot
// created for every process, so any terminal can bring a killed process
// back, complete a half-booted session and tell a killed process from a
// lost one. The cluster stays the only truth: the record is ordinary
// objects next to the pods, deleted with the namespace by terminate.
//
// # Objects
//
// The record is ConfigMaps, not Secrets and not a custom resource: the
// content is the pods' own specs, no more confidential than the pods (which
// every user of the session can read), and granting "get secrets" in a
// session namespace would expose every token there; a CRD would need a
// cluster-wide install the namespaced role cannot do. All carry the
// app.kubernetes.io/managed-by=kubectl-drunc label and RecordLabel:
//
//   - the index, IndexName: the Header (where the session came from, the
//     digest of its rendered configuration, the number of shards), as JSON
//     in data, readable with `kubectl get configmap -o yaml`;
//   - Header.Shards shards, ShardName(i): the entries of the processes whose
//     name hashes (FNV-1a, ShardOf) to i, as gzip-compressed JSON in
//     binaryData.
//
// # Size
//
// A ConfigMap holds at most 1 MiB. A realistic DUNE entry (its pod, with
// the boot-record annotation, and its service) is about 6 KiB of JSON, so
// 10,000 processes are some 57 MiB: the entries are both compressed and
// sharded. gzip works well because the entries of one session repeat the
// same image, volumes, settings and environment: 10,000 DUNE-like entries
// compress about 30 times, to 2 MiB (TestTenThousandProcesses). Shards
// split the rest: ShardsFor gives one shard per EntriesPerShard (1,000)
// processes, so 10,000 processes take 10 shards of about 200 KiB, a fifth
// of the limit. MaxShardBytes (half the limit) is enforced when encoding,
// leaving room for entries that grow with their state and for hash
// imbalance. Sharding by a stable hash of the process name (FNV-1a,
// ShardOf) rather than by boot order means every terminal finds a
// process's shard from its name alone, and a change to one process
// rewrites one shard, not the whole record. The shard count is fixed in
// the header when the record is created.
//
// # Writes
//
// Boot writes the record in one batch: Claim creates the index (before the
// first pod, so a concurrent boot of another configuration is refused),
// Put writes the entries of the processes it created (one write per shard
// touched). Kill, flush and restart change the state of a few processes:
// one read-modify-write per shard touched. Every update carries the
// resourceVersion it read (optimistic concurrency) and is retried with a
// fresh read on conflict, so concurrent writers never lose an entry.
//
// # States
//
// Each entry is in one State:
//
//	(none) --Put--> Booted --MarkKilled--> Killed --MarkFlushed--> Flushed
//	                  ^  \-----------------MarkFlushed----------------^ |
//	                  \------------- MarkBooted / Put (restart, boot) --/
//
// Booted: a pod was created for it (PodUID). Killed: kubectl drunc kill
// deleted its pod (KilledAt, ExitCode: -1 unless the process had exited).
// Flushed: flush forgot it; ps no longer shows it, but its spec stays so
// restart and boot can bring it back under the same uuid (the entries are
// bounded by the processes of the configuration, so keeping it costs
// nothing more). Lost is not a state: it is what Reconcile finds for a
// Booted entry without its pod.
//
// The transitions commute: pods of one name exist one after the other, and
// each is reported booted by the run that created it and gone by the run
// that deleted it, in whatever order the terminals' writes land. An entry
// remembers the last pods whose deletion was recorded (GonePods), so a
// late report that one was booted changes nothing, and the pods reported
// booted that a later report superseded (OtherPods), so when the pod it
// names is reported gone it names the other again. Terminals racing boot,
// kill, restart and flush thus end with a record that agrees with the
// cluster.
package sessionrecord
