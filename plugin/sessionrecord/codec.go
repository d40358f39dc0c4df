package sessionrecord

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
)

// Version is the layout of the header and the shards; a reader refuses
// others rather than half-read a newer record.
const Version = 1

// shardDoc is a shard's content before compression.
type shardDoc struct {
	Version int      `json:"version"`
	Entries []*Entry `json:"entries"`
}

// encodeEntries is the gzip'd JSON of entries, sorted by name so the same
// entries always give the same bytes.
func encodeEntries(entries map[string]*Entry) ([]byte, error) {
	doc := shardDoc{Version: Version, Entries: make([]*Entry, 0, len(entries))}
	for _, e := range entries {
		doc.Entries = append(doc.Entries, e)
	}
	sort.Slice(doc.Entries, func(i, j int) bool { return doc.Entries[i].Name < doc.Entries[j].Name })
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("cannot encode the session record: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if b.Len() > MaxShardBytes {
		return nil, fmt.Errorf("a shard of the session record would take %d bytes, more than the %d allowed (%d entries): the session has more processes than its record was sized for", b.Len(), MaxShardBytes, len(entries))
	}
	return b.Bytes(), nil
}

// decodeEntries reads a shard's binaryData.
func decodeEntries(data []byte) (map[string]*Entry, error) {
	out := map[string]*Entry{}
	if len(data) == 0 {
		return out, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not gzip data: %w", err)
	}
	var buf bytes.Buffer
	buf.Grow(uncompressedSize(data) + bytes.MinRead)
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, fmt.Errorf("corrupt gzip data: %w", err)
	}
	raw := buf.Bytes()
	if entries, ok := scanEntries(raw); ok {
		return entries, nil
	}
	var doc shardDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if doc.Version != Version {
		return nil, fmt.Errorf("layout version %d; this kubectl-drunc reads version %d (upgrade kubectl-drunc)", doc.Version, Version)
	}
	for _, e := range doc.Entries {
		out[e.Name] = e
	}
	return out, nil
}

// uncompressedSize is the size gzip data says it expands to (its trailer,
// modulo 4 GiB), bounded: a hint to read it in one allocation.
func uncompressedSize(data []byte) int {
	if len(data) < 4 {
		return 0
	}
	n := binary.LittleEndian.Uint32(data[len(data)-4:])
	return int(min(n, 64<<20))
}

func encodeHeader(h *Header) (string, error) {
	b, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func decodeHeader(s string) (*Header, error) {
	var h Header
	if err := json.Unmarshal([]byte(s), &h); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if h.Version != Version {
		return nil, fmt.Errorf("layout version %d; this kubectl-drunc reads version %d (upgrade kubectl-drunc)", h.Version, Version)
	}
	if h.Shards < 1 {
		return nil, fmt.Errorf("it names %d shards", h.Shards)
	}
	return &h, nil
}
