package informers

import (
	"context"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// Start returns once the list is in the cache and the watch established;
// a watch that fails does not fail Start (the cache can be read without).
func TestStartWaitsForTheWatch(t *testing.T) {
	const delay = 100 * time.Millisecond
	pods := podList(1)
	cases := []struct {
		name    string
		reactor k8stesting.WatchReactionFunc
		min     time.Duration
	}{
		{"slow watch", func(k8stesting.Action) (bool, watch.Interface, error) {
			time.Sleep(delay)
			return false, nil, nil // then the tracker's watch
		}, delay},
		{"forbidden watch", func(k8stesting.Action) (bool, watch.Interface, error) {
			return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "", nil)
		}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			client := fake.NewClientset([]runtime.Object{&pods.Items[0]}...)
			client.PrependWatchReactor("pods", c.reactor)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			t0 := time.Now()
			cache, err := Start(ctx, Config{Client: client, Namespace: "s"})
			took := time.Since(t0)
			if err != nil {
				t.Fatal(err)
			}
			if took < c.min || took > c.min+watchStartWait {
				t.Errorf("Start took %s, want between %s and %s", took, c.min, c.min+watchStartWait)
			}
			if len(cache.Pods()) != 1 {
				t.Errorf("cache holds %d pods, want 1", len(cache.Pods()))
			}
		})
	}
}

// A list that fails fails Start at once, naming the scope.
func TestStartFailsOnAFailedList(t *testing.T) {
	client := fake.NewClientset()
	client.PrependReactor("list", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "", nil)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Start(ctx, Config{Client: client, Namespace: "s"})
	if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), `cannot list pods in namespace "s"`) {
		t.Errorf("error %v, want Forbidden naming the namespace", err)
	}
	if ctx.Err() != nil {
		t.Error("Start waited for its context instead of failing at once")
	}
}
