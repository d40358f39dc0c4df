package oks

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is one XML element with the line its start tag begins on. OKS files
// carry all their content in attributes, so character data is dropped.
type node struct {
	Name     string
	Attrs    []xml.Attr
	Children []*node
	Line     int
}

// attr returns the value of the attribute called name, and whether it is there.
func (n *node) attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

// maxDepth bounds nesting: OKS files are four levels deep, and a bound keeps
// a hostile file from costing more than its size.
const maxDepth = 64

// parseTree reads a whole XML document into a tree of elements.
func parseTree(file string, data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = charsetReader
	var root *node
	var stack []*node
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, xmlError(file, line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{Name: t.Name.Local, Attrs: t.Attr, Line: line}
			switch {
			case len(stack) >= maxDepth:
				return nil, errorf(file, line, "elements nested more than %d deep", maxDepth)
			case len(stack) > 0:
				parent := stack[len(stack)-1]
				parent.Children = append(parent.Children, n)
			case root != nil:
				return nil, errorf(file, line, "second root element <%s> (an XML file has one)", t.Name.Local)
			default:
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if root == nil {
		return nil, errorf(file, 0, "no XML element found: not an OKS file")
	}
	if len(stack) > 0 {
		return nil, errorf(file, stack[len(stack)-1].Line, "element <%s> is never closed", stack[len(stack)-1].Name)
	}
	return root, nil
}

func xmlError(file string, line int, err error) error {
	var syn *xml.SyntaxError
	if errors.As(err, &syn) {
		return errorf(file, syn.Line, "malformed XML: %s", syn.Msg)
	}
	return errorf(file, line, "malformed XML: %v", err)
}

// charsetReader accepts the encodings OKS writes ("ASCII", "us-ascii") and
// Latin-1; encoding/xml itself only knows UTF-8.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "ascii", "us-ascii", "utf-8", "utf8":
		return input, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1":
		return latin1Reader{input}, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q (use UTF-8 or ASCII)", charset)
}

// latin1Reader turns ISO-8859-1 bytes into UTF-8.
type latin1Reader struct{ r io.Reader }

func (l latin1Reader) Read(p []byte) (int, error) {
	// Each byte becomes at most two: read half as much, then expand.
	if len(p) < 2 {
		return 0, io.ErrShortBuffer
	}
	buf := make([]byte, len(p)/2)
	n, err := l.r.Read(buf)
	out := p[:0]
	for _, b := range buf[:n] {
		out = append(out, string(rune(b))...)
	}
	return len(out), err
}
