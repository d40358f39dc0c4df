package sessionrecord

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Reading a shard is most of what ps and status spend on the record: its
// JSON is nearly all the entries' specs (some 6 KiB each), which
// encoding/json scans twice (to validate the document, then to copy each
// spec as raw JSON) although a reader needs them only for the few
// processes without a pod. scanEntries reads the document once: a small
// scanner finds each entry's members, the spec stays a slice of the
// decompressed bytes (Entry.Objects decodes, and so validates, it when
// needed) and encoding/json decodes the rest of the entry. A document it
// does not read as expected (another layout, invalid JSON) is left to
// encoding/json, whose errors are the ones reported.

// scanEntries returns the entries of a shard document, and false when the
// caller must decode it with encoding/json instead.
func scanEntries(raw []byte) (map[string]*Entry, bool) {
	s := &scanner{b: raw}
	version, entries := -1, map[string]*Entry(nil)
	ok := s.object(func(key []byte) bool {
		switch string(key) {
		case `"version"`:
			start, end, ok := s.value()
			v, err := strconv.Atoi(string(raw[start:end]))
			version = v
			return ok && err == nil
		case `"entries"`:
			entries = map[string]*Entry{}
			return s.entries(entries)
		}
		_, _, ok := s.value()
		return ok
	})
	s.space()
	if !ok || s.i != len(raw) || version != Version || entries == nil {
		return nil, false
	}
	return entries, true
}

// entries reads the array of entries into out.
func (s *scanner) entries(out map[string]*Entry) bool {
	if !s.byte('[') {
		return false
	}
	var rest []byte // an entry without its spec, reused
	for first := true; ; first = false {
		s.space()
		if s.byte(']') {
			return true
		}
		if !first && !s.byte(',') {
			return false
		}
		var spec []byte
		rest = append(rest[:0], '{')
		ok := s.object(func(key []byte) bool {
			start, end, ok := s.value()
			if string(key) == `"spec"` {
				spec = s.b[start:end:end]
			} else {
				if len(rest) > 1 {
					rest = append(rest, ',')
				}
				rest = append(append(append(rest, key...), ':'), s.b[start:end]...)
			}
			return ok
		})
		var e Entry
		if !ok || json.Unmarshal(append(rest, '}'), &e) != nil || e.Name == "" {
			return false
		}
		e.Spec = spec
		out[e.Name] = &e
	}
}

// scanner walks JSON text without building values. It checks the
// structure it walks, not every value: what it returns is decoded (and so
// validated) by encoding/json.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\n' || s.b[s.i] == '\t' || s.b[s.i] == '\r') {
		s.i++
	}
}

// byte consumes c, after white space, if it is next.
func (s *scanner) byte(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// object walks an object, calling member with each key (quotes included)
// with the scanner at the member's value, which member must consume.
func (s *scanner) object(member func(key []byte) bool) bool {
	if !s.byte('{') {
		return false
	}
	if s.byte('}') {
		return true
	}
	for {
		s.space()
		start, end, ok := s.string()
		if !ok || bytes.IndexByte(s.b[start:end], '\\') >= 0 || !s.byte(':') {
			return false // an escaped key is not one of ours
		}
		if s.space(); !member(s.b[start:end]) {
			return false
		}
		if s.byte('}') {
			return true
		}
		if !s.byte(',') {
			return false
		}
	}
}

// string consumes a string and returns its span, quotes included. It
// jumps from quote to quote (IndexByte is vectorised): a quote ends the
// string unless an odd number of backslashes escapes it.
func (s *scanner) string() (start, end int, ok bool) {
	start = s.i
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return 0, 0, false
	}
	for s.i++; ; s.i++ {
		j := bytes.IndexByte(s.b[s.i:], '"')
		if j < 0 {
			return 0, 0, false
		}
		s.i += j
		escapes := 0
		for k := s.i - 1; k > start && s.b[k] == '\\'; k-- {
			escapes++
		}
		if escapes%2 == 0 {
			s.i++
			return start, s.i, true
		}
	}
}

// value consumes any value and returns its span.
func (s *scanner) value() (start, end int, ok bool) {
	s.space()
	start = s.i
	if s.i >= len(s.b) {
		return 0, 0, false
	}
	switch s.b[s.i] {
	case '"':
		return s.string()
	case '{', '[':
		for depth := 0; s.i < len(s.b); {
			switch s.b[s.i] {
			case '"':
				if _, _, ok := s.string(); !ok {
					return 0, 0, false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					s.i++
					return start, s.i, true
				}
			}
			s.i++
		}
		return 0, 0, false
	}
	for s.i < len(s.b) && !endsLiteral(s.b[s.i]) {
		s.i++
	}
	return start, s.i, s.i > start
}

// endsLiteral: c cannot be part of a number, true, false or null.
func endsLiteral(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}
