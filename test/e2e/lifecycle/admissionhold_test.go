package lifecycle

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	admissionregv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// createHold is a validating admission webhook, served by the test on
// loopback, that holds every create of one process's pod until n creates
// of it have arrived (or holdMax passed), then admits them all. Two
// clients that create the pod then both get past their own check that it
// does not exist yet, whatever the timing of the machine: their creates
// race in the API, where one wins and the other gets AlreadyExists.
type createHold struct {
	n int

	mu      sync.Mutex
	arrived int
	full    chan struct{}
	active  chan struct{}
}

// holdMax bounds a hold: under the webhook's own 30 s timeout.
const holdMax = 20 * time.Second

// holdCreates registers the hold for pods labelled app=<name> in ns, and
// returns once the API calls it.
func holdCreates(t *testing.T, tc *testcluster.Cluster, ns, name string, n int) *createHold {
	t.Helper()
	h := &createHold{n: n, full: make(chan struct{}), active: make(chan struct{})}
	cert, caPEM := loopbackCert(t)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })

	url := "https://" + l.Addr().String() + "/hold"
	none, fail, timeout := admissionregv1.SideEffectClassNone, admissionregv1.Fail, int32(30)
	cfg := &admissionregv1.ValidatingWebhookConfiguration{
		ObjectMeta: metav1.ObjectMeta{Name: ns + "-hold", Labels: map[string]string{testcluster.TestLabel: "true"}},
		Webhooks: []admissionregv1.ValidatingWebhook{{
			Name:         "hold.drunc.test",
			ClientConfig: admissionregv1.WebhookClientConfig{URL: &url, CABundle: caPEM},
			Rules: []admissionregv1.RuleWithOperations{{Operations: []admissionregv1.OperationType{admissionregv1.Create},
				Rule: admissionregv1.Rule{APIGroups: []string{""}, APIVersions: []string{"v1"}, Resources: []string{"pods"}}}},
			NamespaceSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{corev1.LabelMetadataName: ns}},
			ObjectSelector:          &metav1.LabelSelector{MatchLabels: map[string]string{session.AppLabel: name}},
			SideEffects:             &none,
			FailurePolicy:           &fail,
			TimeoutSeconds:          &timeout,
			AdmissionReviewVersions: []string{"v1"},
		}},
	}
	webhooks := tc.Client.AdmissionregistrationV1().ValidatingWebhookConfigurations()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := webhooks.Create(ctx, cfg, metav1.CreateOptions{}); err != nil {
		t.Fatalf("registering the admission hold: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = webhooks.Delete(ctx, cfg.Name, metav1.DeleteOptions{})
	})
	h.waitActive(t, tc, ns, name)
	return h
}

// waitActive dry-runs creates of a pod carrying the label (named
// "probe", so not held) until the API calls the webhook: its
// configuration reaches the API's admission chain a moment after it is
// stored.
func (h *createHold) waitActive(t *testing.T, tc *testcluster.Cluster, ns, name string) {
	t.Helper()
	probe := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "probe", Labels: map[string]string{session.AppLabel: name}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := tc.Client.CoreV1().Pods(ns).Create(ctx, probe, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
		cancel()
		select {
		case <-h.active:
			return
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the API does not call the admission hold on loopback within 30s (last dry run: %v)", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Arrived is how many creates of the process's pod reached the hold.
func (h *createHold) Arrived() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.arrived
}

func (h *createHold) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var review admissionv1.AdmissionReview
	if err := json.NewDecoder(r.Body).Decode(&review); err != nil || review.Request == nil {
		http.Error(w, "not an AdmissionReview", http.StatusBadRequest)
		return
	}
	if review.Request.Name == "probe" {
		h.once(func() { close(h.active) })
	} else {
		h.mu.Lock()
		h.arrived++
		if h.arrived == h.n {
			close(h.full)
		}
		h.mu.Unlock()
		select {
		case <-h.full:
		case <-time.After(holdMax):
		}
	}
	review.Response = &admissionv1.AdmissionResponse{UID: review.Request.UID, Allowed: true}
	review.Request = nil
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(&review)
}

// once runs f the first time only (closing active).
func (h *createHold) once(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.active:
	default:
		f()
	}
}

// loopbackCert is a self-signed serving certificate for 127.0.0.1, and its
// PEM as the webhook's CA bundle.
func loopbackCert(t *testing.T) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "drunc-test-admission-hold"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
