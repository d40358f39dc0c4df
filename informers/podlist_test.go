package informers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/protobuf"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
)

// podList is n pods with everything Trim drops and keeps, as a server
// returns them (a page with a continue token).
func podList(n int) *corev1.PodList {
	list := &corev1.PodList{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "PodList"},
		ListMeta: metav1.ListMeta{ResourceVersion: "4711", Continue: "next", RemainingItemCount: ptr(int64(3))}}
	for i := range n {
		list.Items = append(list.Items, corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("app-%03d", i), Namespace: "s", UID: "u",
				Labels:        map[string]string{"creator.drunc.daq": "x"},
				Annotations:   map[string]string{lastAppliedAnnotation: "{}", "a": "b"},
				ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "m", FieldsV1: metav1.NewFieldsV1(`{"f:spec":{}}`)}}},
			Spec: corev1.PodSpec{NodeName: "n", Volumes: []corev1.Volume{{Name: "v"}},
				Containers: []corev1.Container{{Name: "c", Image: "i", Args: []string{"-n", fmt.Sprint(i)},
					Env: []corev1.EnvVar{{Name: "USER", Value: "alice"}, {Name: "X", Value: "y"}}}}},
			Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.1"},
		})
	}
	return list
}

func ptr[T any](v T) *T { return &v }

func encodeProtobuf(t *testing.T, obj runtime.Object) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := protobuf.NewSerializer(scheme.Scheme, scheme.Scheme).Encode(obj, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wantList is what client-go's decoding, then the transform, gives.
func wantList(t *testing.T, data []byte, transform cache.TransformFunc) *corev1.PodList {
	t.Helper()
	list := &corev1.PodList{}
	if err := runtime.DecodeInto(scheme.Codecs.UniversalDecoder(corev1.SchemeGroupVersion), data, list); err != nil {
		t.Fatal(err)
	}
	for i := range list.Items {
		obj, err := transform(list.Items[i].DeepCopy())
		if err != nil {
			t.Fatal(err)
		}
		list.Items[i] = *obj.(*corev1.Pod)
	}
	return list
}

// itemsOf are the pods of a decoded list.
func itemsOf(l *podPointerList) []corev1.Pod {
	out := make([]corev1.Pod, len(l.Items))
	for i, p := range l.Items {
		out[i] = *p
	}
	return out
}

var transforms = map[string]cache.TransformFunc{
	"Trim": Trim, "DropManagedFields": DropManagedFields, "none": func(obj any) (any, error) { return obj, nil },
}

func TestDecodePodListAsClientGo(t *testing.T) {
	var jsonList bytes.Buffer
	if err := scheme.Codecs.LegacyCodec(corev1.SchemeGroupVersion).Encode(podList(3), &jsonList); err != nil {
		t.Fatal(err)
	}
	bodies := map[string][]byte{
		"protobuf": encodeProtobuf(t, podList(50)), "empty protobuf": encodeProtobuf(t, podList(0)), "json": jsonList.Bytes(),
	}
	for name, data := range bodies {
		for tname, transform := range transforms {
			want := wantList(t, data, transform)
			got, err := decodePodList(bytes.NewReader(data), transform)
			if err != nil {
				t.Fatalf("%s, %s: %v", name, tname, err)
			}
			if !equality.Semantic.DeepEqual(got.ListMeta, want.ListMeta) || len(got.Items) != len(want.Items) {
				t.Fatalf("%s, %s: list %+v (%d items), want %+v (%d)", name, tname, got.ListMeta, len(got.Items), want.ListMeta, len(want.Items))
			}
			for i := range want.Items {
				if !equality.Semantic.DeepEqual(*got.Items[i], want.Items[i]) {
					t.Fatalf("%s, %s: item %d\n got %+v\nwant %+v", name, tname, i, *got.Items[i], want.Items[i])
				}
			}
		}
	}
}

func TestDecodePodListRejectsTruncated(t *testing.T) {
	data := encodeProtobuf(t, podList(5))
	for _, n := range []int{len(protobufMagic) + 3, len(data) / 2, len(data) - 1} {
		if _, err := decodePodList(bytes.NewReader(data[:n]), Trim); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%d of %d bytes: error %v, want unexpected EOF", n, len(data), err)
		}
	}
	if _, err := decodePodList(bytes.NewReader([]byte(protobufMagic)), Trim); err == nil {
		t.Error("a response without a list decoded")
	}
}

// listPods over HTTP: protobuf asked for and decoded, the query as the
// typed client sends it, and the server's refusal as an API error.
func TestListPodsOverHTTP(t *testing.T) {
	data := encodeProtobuf(t, podList(20))
	var query, accept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query, accept = r.URL.RawQuery, r.Header.Get("Accept")
		if r.URL.Path == "/api/v1/namespaces/forbidden/pods" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,"message":"no"}`)
			return
		}
		w.Header().Set("Content-Type", runtime.ContentTypeProtobuf)
		_, _ = w.Write(data)
	}))
	defer srv.Close()
	client, err := NewClient(&rest.Config{Host: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	rc := client.CoreV1().RESTClient().(*rest.RESTClient)
	got, err := listPods(context.Background(), rc, "s", metav1.ListOptions{LabelSelector: "a=b", Limit: 500}, Trim)
	if err != nil {
		t.Fatal(err)
	}
	want := wantList(t, data, Trim)
	if len(got.Items) != 20 || !equality.Semantic.DeepEqual(itemsOf(got), want.Items) || got.Continue != "next" {
		t.Errorf("got %d items (continue %q), want %d", len(got.Items), got.Continue, len(want.Items))
	}
	if query != "labelSelector=a%3Db&limit=500" || accept != runtime.ContentTypeProtobuf+","+runtime.ContentTypeJSON {
		t.Errorf("query %q, accept %q", query, accept)
	}
	if _, err := listPods(context.Background(), rc, "forbidden", metav1.ListOptions{}, Trim); !apierrors.IsForbidden(err) {
		t.Errorf("error %v, want Forbidden", err)
	}
}

// The cache holds transformed pods, listed or watched (a fake clientset
// takes the list-then-transform path).
func TestCacheTransformsListedAndWatchedPods(t *testing.T) {
	listed, watched := podList(2).Items[0], podList(2).Items[1]
	listed.Name, watched.Name = "listed", "watched"
	client := fake.NewClientset(&listed)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := Start(ctx, Config{Client: client, Namespace: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CoreV1().Pods("s").Create(ctx, &watched, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"listed", "watched"} {
		var p *corev1.Pod
		for p == nil && ctx.Err() == nil {
			if p = c.Get("s", name); p == nil {
				time.Sleep(10 * time.Millisecond)
			}
		}
		if p == nil || p.ManagedFields != nil || len(p.Spec.Volumes) != 0 || p.Spec.NodeName != "n" {
			t.Errorf("cached %s: %+v, want it trimmed", name, p)
		}
	}
}

// Start over HTTP: a LIST in two pages (decoded as streamed, items kept as
// they are), then a watch; the cache holds every pod, transformed.
func TestStartListsPagesOverHTTP(t *testing.T) {
	first, second := podList(30), podList(20)
	for i := range second.Items {
		second.Items[i].Name = fmt.Sprintf("second-%02d", i)
	}
	second.Continue, second.RemainingItemCount = "", nil
	pages := map[string][]byte{"": encodeProtobuf(t, first), "next": encodeProtobuf(t, second)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("watch") == "true" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			<-r.Context().Done() // no events
			return
		}
		w.Header().Set("Content-Type", runtime.ContentTypeProtobuf)
		_, _ = w.Write(pages[r.URL.Query().Get("continue")])
	}))
	defer srv.Close()
	client, err := NewClient(&rest.Config{Host: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := Start(ctx, Config{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	pods := c.Pods()
	if len(pods) != 50 {
		t.Fatalf("cache holds %d pods, want 50", len(pods))
	}
	for _, p := range pods {
		if p.ManagedFields != nil || len(p.Spec.Volumes) != 0 || p.Spec.Containers[0].Image != "i" {
			t.Fatalf("pod %s not trimmed as Trim does: %+v", p.Name, p)
		}
	}
	if c.Get("s", "second-19") == nil || c.Get("s", "app-029") == nil {
		t.Error("the cache misses a pod of one of the pages")
	}
}
