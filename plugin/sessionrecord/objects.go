package sessionrecord

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// ListSelector selects every object of every record (index and shards):
// readers list them at once, in one session or in all, instead of one GET
// per object.
const ListSelector = RecordLabel

// IsIndex tells whether a listed ConfigMap is a record's index.
func IsIndex(cm *corev1.ConfigMap) bool {
	return cm.Name == IndexName && cm.Labels[RecordLabel] == RoleIndex
}

// Decoder reads records from their listed ConfigMaps. It keeps each
// shard's entries decoded per resourceVersion, so a reader that sees one
// shard change (ps -w) decodes that shard only. The zero value is ready;
// it is safe for concurrent use. The records it returns share entries
// with it and with each other: read only.
type Decoder struct {
	mu     sync.Mutex
	shards map[types.UID]decodedShard
	// records are the last record returned per session, with the versions
	// of the objects it was read from: ps -w asks after every pod deletion.
	records map[string]decodedRecord
}

type decodedRecord struct {
	versions string
	rec      *Record
}

type decodedShard struct {
	namespace, version string
	entries            map[string]*Entry
}

// Record is the record of session from its ConfigMaps as listed (any
// order; objects of other sessions or other names are ignored): as Read
// would return it, with Found false when there is no index. A shard not
// listed (a boot still under way) reads as empty.
func (d *Decoder) Record(sessionName string, objs []*corev1.ConfigMap) (*Record, error) {
	st := &Store{Session: sessionName}
	byName := make(map[string]*corev1.ConfigMap, len(objs))
	for _, cm := range objs {
		if cm.Namespace == sessionName && cm.Labels[RecordLabel] != "" {
			byName[cm.Name] = cm
		}
	}
	rec := &Record{Entries: map[string]*Entry{}}
	index := byName[IndexName]
	if index == nil || !IsIndex(index) {
		return rec, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	versions := versionsOf(byName)
	if last, ok := d.records[sessionName]; ok && versions != "" && last.versions == versions {
		return last.rec, nil
	}
	h, err := decodeHeader(index.Data[HeaderKey])
	if err != nil {
		return nil, st.corrupt(IndexName, err)
	}
	rec.Header = h
	d.forget(sessionName, byName)
	for i := 0; i < h.Shards; i++ {
		cm := byName[ShardName(i)]
		if cm == nil {
			continue
		}
		entries, err := d.shard(cm)
		if err != nil {
			return nil, st.corrupt(cm.Name, err)
		}
		for name, e := range entries {
			rec.Entries[name] = e
		}
	}
	if d.records == nil {
		d.records = map[string]decodedRecord{}
	}
	d.records[sessionName] = decodedRecord{versions: versions, rec: rec}
	return rec, nil
}

// versionsOf identifies a session's record objects as listed: their UIDs
// and resourceVersions, by name; "" when one lacks them (nothing is then
// reused).
func versionsOf(byName map[string]*corev1.ConfigMap) string {
	names := make([]string, 0, len(byName))
	for name := range byName {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		cm := byName[name]
		if cm.UID == "" || cm.ResourceVersion == "" {
			return ""
		}
		fmt.Fprintf(&b, "%s/%s/%s;", name, cm.UID, cm.ResourceVersion)
	}
	return b.String()
}

// shard returns the shard's entries, decoding them unless this version
// was decoded before.
func (d *Decoder) shard(cm *corev1.ConfigMap) (map[string]*Entry, error) {
	if s, ok := d.shards[cm.UID]; ok && cm.UID != "" && cm.ResourceVersion != "" && s.version == cm.ResourceVersion {
		return s.entries, nil
	}
	entries, err := decodeEntries(cm.BinaryData[EntriesKey])
	if err != nil {
		return nil, err
	}
	if cm.UID != "" && cm.ResourceVersion != "" {
		if d.shards == nil {
			d.shards = map[types.UID]decodedShard{}
		}
		d.shards[cm.UID] = decodedShard{namespace: cm.Namespace, version: cm.ResourceVersion, entries: entries}
	}
	return entries, nil
}

// forget drops the decoded shards of the session that are no longer
// listed (deleted with the record or the namespace).
func (d *Decoder) forget(sessionName string, listed map[string]*corev1.ConfigMap) {
	for uid, s := range d.shards {
		if s.namespace != sessionName {
			continue
		}
		keep := false
		for _, cm := range listed {
			keep = keep || cm.UID == uid
		}
		if !keep {
			delete(d.shards, uid)
		}
	}
}
