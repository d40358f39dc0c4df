package sessionrecord

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// FieldManager names kubectl-drunc in the record's managedFields.
const FieldManager = "kubectl-drunc"

// Store reads and writes one session's record.
type Store struct {
	Client kubernetes.Interface
	// Session is the session's namespace.
	Session string
	// Now stamps the header's creation; nil means time.Now.
	Now func() time.Time
}

// New returns the store of a session's record.
func New(client kubernetes.Interface, sessionName string) *Store {
	return &Store{Client: client, Session: sessionName}
}

func (s *Store) configMaps() configMapAPI {
	return s.Client.CoreV1().ConfigMaps(s.Session)
}

type configMapAPI = interface {
	Get(ctx context.Context, name string, o metav1.GetOptions) (*corev1.ConfigMap, error)
	Create(ctx context.Context, cm *corev1.ConfigMap, o metav1.CreateOptions) (*corev1.ConfigMap, error)
	Update(ctx context.Context, cm *corev1.ConfigMap, o metav1.UpdateOptions) (*corev1.ConfigMap, error)
}

// ReadHeader returns the record's header, nil (and no error) when the
// session has no record.
func (s *Store) ReadHeader(ctx context.Context) (*Header, error) {
	cm, err := s.configMaps().Get(ctx, IndexName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the record of session %q (configmap %s): %w", s.Session, IndexName, err)
	}
	h, err := decodeHeader(cm.Data[HeaderKey])
	if err != nil {
		return nil, s.corrupt(IndexName, err)
	}
	return h, nil
}

// Read returns the session's record. A session without one (booted by
// drunc's Python manager) gives a Record whose Found is false, not an
// error. A shard not written yet (a boot still under way) reads as empty.
func (s *Store) Read(ctx context.Context) (*Record, error) {
	h, err := s.ReadHeader(ctx)
	if err != nil || h == nil {
		return &Record{Header: h, Entries: map[string]*Entry{}}, err
	}
	rec := &Record{Header: h, Entries: map[string]*Entry{}}
	for i := 0; i < h.Shards; i++ {
		entries, _, err := s.readShard(ctx, i)
		if err != nil {
			return nil, err
		}
		for name, e := range entries {
			rec.Entries[name] = e
		}
	}
	return rec, nil
}

// readShard returns a shard's entries and its object (nil when absent).
func (s *Store) readShard(ctx context.Context, i int) (map[string]*Entry, *corev1.ConfigMap, error) {
	name := ShardName(i)
	cm, err := s.configMaps().Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return map[string]*Entry{}, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the record of session %q (configmap %s): %w", s.Session, name, err)
	}
	entries, err := decodeEntries(cm.BinaryData[EntriesKey])
	if err != nil {
		return nil, nil, s.corrupt(name, err)
	}
	return entries, cm, nil
}

func (s *Store) corrupt(name string, err error) error {
	return fmt.Errorf("the record of session %q is unreadable (configmap %s: %v); `kubectl delete configmap -n %s -l %s` removes it, and the session then works as one without a record", s.Session, name, err, s.Session, RecordLabel)
}

// Claim makes this configuration the session's: it creates the index with
// h (Version, Shards and Created filled in) or, when the session has one,
// checks that it came from the same source. It returns the header in
// force; a session booted from another source gives *OtherSourceError.
// The digest may differ (the configuration changed since): the caller
// compares it.
func (s *Store) Claim(ctx context.Context, h Header) (*Header, error) {
	h.Version = Version
	if h.Shards == 0 {
		h.Shards = ShardsFor(h.Processes)
	}
	if h.Created.IsZero() {
		h.Created = s.now()
	}
	text, err := encodeHeader(&h)
	if err != nil {
		return nil, err
	}
	cm := s.object(IndexName, RoleIndex)
	cm.Data = map[string]string{HeaderKey: text}
	_, err = s.configMaps().Create(ctx, cm, metav1.CreateOptions{FieldManager: FieldManager})
	if err == nil {
		return &h, nil
	}
	if !apierrors.IsAlreadyExists(err) {
		return nil, fmt.Errorf("cannot create the record of session %q (configmap %s): %w", s.Session, IndexName, err)
	}
	have, err := s.ReadHeader(ctx)
	if err != nil {
		return nil, err
	}
	if have == nil {
		return nil, fmt.Errorf("the record of session %q was deleted while this boot created it; boot again", s.Session)
	}
	if !SameSource(have.Source, h.Source) {
		return nil, &OtherSourceError{Session: s.Session, Recorded: have.Source, Proposed: h.Source}
	}
	return have, nil
}

// object is a new record ConfigMap with kubectl-drunc's labels.
func (s *Store) object(name, role string) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{
		Name: name, Namespace: s.Session,
		Labels: map[string]string{
			session.ManagedByLabel: session.ManagedByValue,
			RecordLabel:            role,
		},
	}}
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
