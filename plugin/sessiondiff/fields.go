package sessiondiff

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Fields is an object projected onto the fields the renderer sets: field
// path → value as text. Absent means unset (or at its default).
type Fields map[string]string

// serviceAccountVolumePrefix names the token volume the ServiceAccount
// admission plugin adds to every pod.
const serviceAccountVolumePrefix = "kube-api-access-"

// defaultGracePeriod is the apiserver's terminationGracePeriodSeconds.
const defaultGracePeriod = 30

// NoUUID is a podspec.Options.UUID that leaves processes without a uuid in
// the configuration without one, so their uuid is not compared.
func NoUUID() string { return "" }

// PodFields projects a pod. labelKeys are the label keys to compare (the
// renderer's: those of the desired pod); uuidKey is skipped when the
// desired pod's value is empty.
func PodFields(p *corev1.Pod, labelKeys []string) Fields {
	f := Fields{}
	for _, k := range labelKeys {
		if v, ok := p.Labels[k]; ok {
			f["metadata.labels."+k] = v
		}
	}
	for k, v := range p.Spec.NodeSelector {
		f["spec.nodeSelector."+k] = v
	}
	f.setBool("spec.hostNetwork", p.Spec.HostNetwork)
	grace := int64(defaultGracePeriod)
	if p.Spec.TerminationGracePeriodSeconds != nil {
		grace = *p.Spec.TerminationGracePeriodSeconds
	}
	f["spec.terminationGracePeriodSeconds"] = strconv.FormatInt(grace, 10)
	policy := p.Spec.RestartPolicy
	if policy == "" {
		policy = corev1.RestartPolicyAlways
	}
	f["spec.restartPolicy"] = string(policy)
	if sc := p.Spec.SecurityContext; sc != nil {
		f.setInt("spec.securityContext.runAsUser", sc.RunAsUser)
		f.setInt("spec.securityContext.runAsGroup", sc.RunAsGroup)
		f.setInt("spec.securityContext.fsGroup", sc.FSGroup)
	}
	for _, v := range p.Spec.Volumes {
		if isServiceAccountVolume(v) {
			continue
		}
		at := "spec.volumes[" + v.Name + "]"
		f[at] = ""
		if hp := v.HostPath; hp != nil {
			f[at+".hostPath.path"] = hp.Path
			if hp.Type != nil && *hp.Type != "" {
				f[at+".hostPath.type"] = string(*hp.Type)
			}
		}
		if ed := v.EmptyDir; ed != nil {
			f[at+".emptyDir.medium"] = string(ed.Medium)
		}
	}
	for i := range p.Spec.Containers {
		f.container(&p.Spec.Containers[i])
	}
	return f
}

func isServiceAccountVolume(v corev1.Volume) bool {
	return v.Projected != nil && strings.HasPrefix(v.Name, serviceAccountVolumePrefix)
}

func (f Fields) container(c *corev1.Container) {
	at := "spec.containers[" + c.Name + "]"
	f[at+".image"] = c.Image
	f.setList(at+".command", c.Command)
	f.setList(at+".args", c.Args)
	if c.WorkingDir != "" {
		f[at+".workingDir"] = c.WorkingDir
	}
	// Not the order: the renderer sorts the variables by name.
	for _, e := range c.Env {
		key := fmt.Sprintf("%s.env[%s]", at, e.Name)
		switch {
		case e.ValueFrom != nil && e.ValueFrom.FieldRef != nil:
			f[key] = "fieldRef:" + e.ValueFrom.FieldRef.FieldPath
		default:
			f[key] = e.Value
		}
	}
	for _, m := range c.VolumeMounts {
		if strings.HasPrefix(m.Name, serviceAccountVolumePrefix) {
			continue
		}
		key := at + ".volumeMounts[" + m.Name + "]"
		f[key] = m.MountPath
		f.setBool(key+".readOnly", m.ReadOnly)
	}
	for _, p := range c.Ports {
		key := fmt.Sprintf("%s.ports[%s]", at, p.Name)
		proto := p.Protocol
		if proto == "" {
			proto = corev1.ProtocolTCP
		}
		f[key] = fmt.Sprintf("%d/%s", p.ContainerPort, proto)
	}
	f.resources(at+".resources", c.Resources)
	if sc := c.SecurityContext; sc != nil {
		f.setInt(at+".securityContext.runAsUser", sc.RunAsUser)
		f.setInt(at+".securityContext.runAsGroup", sc.RunAsGroup)
		if sc.Privileged != nil {
			f.setBool(at+".securityContext.privileged", *sc.Privileged)
		}
		if sc.Capabilities != nil {
			var add []string
			for _, c := range sc.Capabilities.Add {
				add = append(add, string(c))
			}
			f.setList(at+".securityContext.capabilities.add", add)
		}
	}
	if l := c.Lifecycle; l != nil && l.PreStop != nil && l.PreStop.Exec != nil {
		f.setList(at+".lifecycle.preStop.exec.command", l.PreStop.Exec.Command)
	}
}

// resources: the apiserver sets a request missing where a limit is set to
// the limit.
func (f Fields) resources(at string, r corev1.ResourceRequirements) {
	for name, q := range r.Limits {
		f[at+".limits."+string(name)] = q.String()
		f[at+".requests."+string(name)] = q.String()
	}
	for name, q := range r.Requests {
		f[at+".requests."+string(name)] = q.String()
	}
}

// ServiceFields projects a service.
func ServiceFields(s *corev1.Service, labelKeys []string) Fields {
	f := Fields{}
	for _, k := range labelKeys {
		if v, ok := s.Labels[k]; ok {
			f["metadata.labels."+k] = v
		}
	}
	typ := s.Spec.Type
	if typ == "" {
		typ = corev1.ServiceTypeClusterIP
	}
	f["spec.type"] = string(typ)
	if s.Spec.ClusterIP == corev1.ClusterIPNone {
		f["spec.clusterIP"] = corev1.ClusterIPNone
	}
	for k, v := range s.Spec.Selector {
		f["spec.selector."+k] = v
	}
	if typ == corev1.ServiceTypeNodePort || typ == corev1.ServiceTypeLoadBalancer {
		policy := s.Spec.ExternalTrafficPolicy
		if policy == "" {
			policy = corev1.ServiceExternalTrafficPolicyCluster
		}
		f["spec.externalTrafficPolicy"] = string(policy)
	}
	for _, p := range s.Spec.Ports {
		key := fmt.Sprintf("spec.ports[%d]", p.Port)
		proto := p.Protocol
		if proto == "" {
			proto = corev1.ProtocolTCP
		}
		target := p.TargetPort.String()
		if p.TargetPort.IntValue() == 0 && p.TargetPort.StrVal == "" {
			target = strconv.Itoa(int(p.Port))
		}
		f[key] = fmt.Sprintf("%s -> %s", proto, target)
		if p.NodePort != 0 {
			f[key+".nodePort"] = strconv.Itoa(int(p.NodePort))
		}
	}
	return f
}

// compareLabelKeys are the desired object's label keys, without the uuid
// key when the configuration gives no uuid.
func compareLabelKeys(labels map[string]string, keys session.LabelKeys) []string {
	var out []string
	for k, v := range labels {
		if k == keys.UUID() && v == "" {
			continue
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (f Fields) setBool(key string, v bool) {
	if v {
		f[key] = "true"
	}
}

func (f Fields) setInt(key string, v *int64) {
	if v != nil {
		f[key] = strconv.FormatInt(*v, 10)
	}
}

func (f Fields) setList(key string, v []string) {
	for i, s := range v {
		f[fmt.Sprintf("%s[%d]", key, i)] = s
	}
}
