package informers

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/cache"
)

// protobufMagic starts every Kubernetes protobuf message: the prefix of a
// runtime.Unknown whose Raw field holds the object.
const protobufMagic = "k8s\x00"

// Field numbers (generated.proto) of the messages decodePodList walks.
const (
	unknownTypeMeta        = 1
	unknownRaw             = 2
	unknownContentEncoding = 3
	podListMetadata        = 1
	podListItems           = 2
)

// decodePodList reads a PodList response and transforms each pod as soon
// as it is decoded. A protobuf response (runtime.Unknown{TypeMeta, Raw:
// PodList{ListMeta, Items}}) is walked field by field from the stream, so
// only one untransformed pod is ever in memory; any other response (JSON)
// is decoded whole, then transformed.
func decodePodList(body io.Reader, transform cache.TransformFunc) (*podPointerList, error) {
	r := bufio.NewReaderSize(body, 32<<10)
	if magic, err := r.Peek(len(protobufMagic)); err != nil || string(magic) != protobufMagic {
		return decodeWhole(r, transform)
	}
	_, _ = r.Discard(len(protobufMagic))
	var list *podPointerList
	for {
		field, wire, err := readTag(r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch {
		case field == unknownRaw && wire == protoBytes:
			n, err := binary.ReadUvarint(r)
			if err != nil {
				return nil, err
			}
			if list, err = decodeItems(&io.LimitedReader{R: r, N: int64(n)}, transform); err != nil {
				return nil, err
			}
		case field == unknownContentEncoding && wire == protoBytes:
			b, err := readBytes(r, nil)
			if err != nil {
				return nil, err
			}
			if len(b) > 0 {
				return nil, fmt.Errorf("unsupported content encoding %q", b)
			}
		default: // the type meta (PodList, v1), the content type
			if err := skipField(r, wire); err != nil {
				return nil, err
			}
		}
	}
	if list == nil {
		return nil, errors.New("no list in the response")
	}
	return list, nil
}

// decodeItems reads the fields of a PodList message.
func decodeItems(r *io.LimitedReader, transform cache.TransformFunc) (*podPointerList, error) {
	br := bufio.NewReader(r) // ReadUvarint needs an io.ByteReader
	list := &podPointerList{}
	var buf []byte
	for {
		field, wire, err := readTag(br)
		if errors.Is(err, io.EOF) {
			return list, nil
		}
		if err != nil {
			return nil, err
		}
		switch {
		case field == podListMetadata && wire == protoBytes:
			if buf, err = readBytes(br, buf); err != nil {
				return nil, err
			}
			if err := list.ListMeta.Unmarshal(buf); err != nil {
				return nil, err
			}
		case field == podListItems && wire == protoBytes:
			if buf, err = readBytes(br, buf); err != nil {
				return nil, err
			}
			pod := &corev1.Pod{} // Unmarshal copies what it keeps: buf is reused
			if err := pod.Unmarshal(buf); err != nil {
				return nil, err
			}
			obj, err := transform(pod)
			if err != nil {
				return nil, err
			}
			p, ok := obj.(*corev1.Pod)
			if !ok {
				return nil, fmt.Errorf("the transform returned a %T for a pod", obj)
			}
			list.Items = append(list.Items, p)
		default:
			if err := skipField(br, wire); err != nil {
				return nil, err
			}
		}
	}
}

// decodeWhole decodes a response that is not protobuf, then transforms it.
func decodeWhole(r io.Reader, transform cache.TransformFunc) (*podPointerList, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	list := &corev1.PodList{}
	if err := runtime.DecodeInto(scheme.Codecs.UniversalDecoder(corev1.SchemeGroupVersion), data, list); err != nil {
		return nil, err
	}
	return transformList(list, transform)
}

// podPointerList is a pod list whose items are the transformed pods
// themselves: the reflector takes the items of a list as they are when
// they are pointers, and copies each one of a PodList's.
type podPointerList struct {
	metav1.TypeMeta
	metav1.ListMeta
	Items []*corev1.Pod
}

// DeepCopyObject makes podPointerList a runtime.Object.
func (l *podPointerList) DeepCopyObject() runtime.Object {
	out := &podPointerList{TypeMeta: l.TypeMeta, Items: make([]*corev1.Pod, len(l.Items))}
	l.ListMeta.DeepCopyInto(&out.ListMeta)
	for i, p := range l.Items {
		out.Items[i] = p.DeepCopy()
	}
	return out
}

// transformList transforms the pods of a decoded list.
func transformList(list *corev1.PodList, transform cache.TransformFunc) (*podPointerList, error) {
	out := &podPointerList{TypeMeta: list.TypeMeta, ListMeta: list.ListMeta, Items: make([]*corev1.Pod, len(list.Items))}
	for i := range list.Items {
		obj, err := transform(&list.Items[i])
		if err != nil {
			return nil, err
		}
		p, ok := obj.(*corev1.Pod)
		if !ok {
			return nil, fmt.Errorf("the transform returned a %T for a pod", obj)
		}
		out.Items[i] = p
	}
	return out, nil
}

// Protobuf wire types.
const (
	protoVarint  = 0
	protoFixed64 = 1
	protoBytes   = 2
	protoFixed32 = 5
)

// maxFieldSize bounds a length-delimited field read into memory (the
// apiserver's own limit on a request or object is far below it).
const maxFieldSize = 1 << 30

func readTag(r io.ByteReader) (field, wire uint64, err error) {
	tag, err := binary.ReadUvarint(r)
	if err != nil {
		return 0, 0, err
	}
	return tag >> 3, tag & 7, nil
}

// readBytes reads a length-delimited field into buf (grown if needed).
func readBytes(r *bufio.Reader, buf []byte) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, unexpected(err)
	}
	if n > maxFieldSize {
		return nil, fmt.Errorf("field of %d bytes", n)
	}
	if uint64(cap(buf)) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, unexpected(err)
	}
	return buf, nil
}

func skipField(r *bufio.Reader, wire uint64) error {
	var n uint64
	switch wire {
	case protoVarint:
		_, err := binary.ReadUvarint(r)
		return unexpected(err)
	case protoFixed64:
		n = 8
	case protoFixed32:
		n = 4
	case protoBytes:
		var err error
		if n, err = binary.ReadUvarint(r); err != nil {
			return unexpected(err)
		}
	default:
		return fmt.Errorf("unknown protobuf wire type %d", wire)
	}
	_, err := r.Discard(int(min(n, maxFieldSize)))
	return unexpected(err)
}

// unexpected is err, with an end of data inside a field reported as such.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
