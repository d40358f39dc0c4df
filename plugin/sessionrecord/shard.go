package sessionrecord

import (
	"fmt"
	"hash/fnv"
)

// The record's objects.
const (
	// IndexName is the ConfigMap holding the Header.
	IndexName = "kubectl-drunc-record"
	// RecordLabel marks the record's ConfigMaps; its value is RoleIndex or
	// RoleShard.
	RecordLabel = "kubectl-drunc/record"
	RoleIndex   = "index"
	RoleShard   = "shard"
	// HeaderKey and EntriesKey are the keys in data and binaryData.
	HeaderKey  = "header.json"
	EntriesKey = "entries.json.gz"
	// EntriesAnnotation tells how many entries a shard holds, for readers
	// of `kubectl get configmap -o yaml`.
	EntriesAnnotation = "kubectl-drunc/record-entries"
)

// EntriesPerShard bounds how many processes share a shard: a shard of
// realistic DUNE entries is then about 200 KiB, under half of
// MaxShardBytes (see TestTenThousandProcesses), and one process's change
// re-encodes at most about that many entries.
const EntriesPerShard = 1000

// MaxShardBytes is the most a shard's compressed entries may take: half
// of the 1 MiB a ConfigMap can hold, the other half being margin for
// entries that grow with their state and for metadata.
const MaxShardBytes = 512 << 10

// ShardsFor is the number of shards for a session of n processes.
func ShardsFor(n int) int {
	return max(1, (n+EntriesPerShard-1)/EntriesPerShard)
}

// ShardOf is the shard holding process name's entry, out of shards: a
// stable hash, so every terminal and every version agrees.
func ShardOf(name string, shards int) int {
	if shards <= 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32() % uint32(shards))
}

// ShardName is the ConfigMap of shard i.
func ShardName(i int) string { return fmt.Sprintf("%s-%d", IndexName, i) }
