package podspec

import (
	"fmt"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// bigSession is DUNE scale: an LCS, a root controller, 20 segments of one
// controller and 19 applications (a readout app each), on 140 hosts.
func bigSession() (*session.Session, *pmconfig.Settings) {
	st := pmconfig.Default()
	st.HomePathBase = "/home"
	st.Volumes = []pmconfig.Volume{{Name: "cvmfs", MountPath: "/cvmfs", HostPath: "/cvmfs", ReadOnly: true}}
	st.HostConfigs = map[string]pmconfig.HostConfig{}
	rte := session.Executable{Exec: "source", Args: []string{"/opt/daq/setup_rte.sh"}}
	s := &session.Session{Name: "big", User: "np04daq", Processes: []session.Process{
		{Name: "local-connection-server", Host: "np02-srv-000", TreeID: "1",
			Executables: []session.Executable{{Exec: "gunicorn", Shell: "-b 0.0.0.0:5000 app"}}},
		{Name: "root-controller", Host: "np02-srv-000", TreeID: "0",
			Executables: []session.Executable{rte, {Exec: "drunc-controller", Args: []string{"-c", "grpc://np02-srv-000:3333"}}}},
	}}
	n := 0
	for seg := 0; seg < 20; seg++ {
		for app := 0; app < 20; app++ {
			host := fmt.Sprintf("np02-srv-%03d", 1+n%139)
			n++
			p := session.Process{Host: host, TreeID: fmt.Sprintf("0.%d.%d", seg, app), LogPath: "/log/big/x.log",
				Env: map[string]string{"DUNEDAQ_SESSION": "big", "DUNEDAQ_DB_PATH": "/cfg"}}
			exe := session.Executable{Exec: "daq_application", Args: []string{"-s", "big", "-n", "x", "-c", "rest://" + host + ":4000", "-d", "oksconflibs:/cfg/big.data.xml"}}
			switch app {
			case 0:
				p.Name, p.TreeID = fmt.Sprintf("seg-%02d-controller", seg), fmt.Sprintf("0.%d", seg)
				exe.Exec = "drunc-controller"
			case 1:
				p.Name = fmt.Sprintf("runp-%02d", seg)
				st.HostConfigs[host] = pmconfig.HostConfig{Limits: map[string]string{"cpu": "8"}, Requests: map[string]string{"cpu": "8"}}
			default:
				p.Name = fmt.Sprintf("app-%02d-%02d", seg, app)
			}
			p.Executables = []session.Executable{rte, exe}
			s.Processes = append(s.Processes, p)
		}
	}
	return s, st
}

// BenchmarkRender400 renders 402 processes (pods, services, boot records).
func BenchmarkRender400(b *testing.B) {
	s, st := bigSession()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(s, st, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
