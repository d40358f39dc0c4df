package podspec

import (
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

func TestExtractPort(t *testing.T) {
	ex := func(e string, args ...string) session.Executable { return session.Executable{Exec: e, Args: args} }
	cases := []struct {
		name  string
		execs []session.Executable
		env   map[string]string
		want  int32
	}{
		{"gunicorn -b shell text", []session.Executable{{Exec: "gunicorn", Shell: "-b 0.0.0.0:5000 --workers=1 app"}}, nil, 5000},
		{"gunicorn --bind= argv", []session.Executable{ex("gunicorn", "--bind=0.0.0.0:30500", "app")}, nil, 30500},
		{"gunicorn -b host:${VAR}", []session.Executable{{Exec: "gunicorn", Shell: "-b 0.0.0.0:${CONNECTION_PORT} app"}}, map[string]string{"CONNECTION_PORT": "5001"}, 5001},
		{"gunicorn ${VAR} missing", []session.Executable{{Exec: "gunicorn", Shell: "-b 0.0.0.0:${NOPE} app"}}, nil, 0},
		{"gunicorn ${VAR} not a number", []session.Executable{{Exec: "gunicorn", Shell: "-b 0.0.0.0:${P} app"}}, map[string]string{"P": "five"}, 0},
		{"gunicorn port 0", []session.Executable{ex("gunicorn", "-b", "0.0.0.0:0")}, nil, 0},
		{"controller --port", []session.Executable{ex("source", "rte.sh"), ex("drunc-controller", "--port", "3333")}, nil, 3333},
		{"controller --port=", []session.Executable{ex("drunc-controller", "--port=3334")}, nil, 3334},
		{"controller -c grpc", []session.Executable{ex("drunc-controller", "-s", "x", "-c", "grpc://np02-srv-001:3335", "-d", "y")}, nil, 3335},
		{"controller -c quoted grpc in shell", []session.Executable{{Exec: "drunc-controller", Shell: `-c "grpc://h:3336"`}}, nil, 3336},
		{"controller grpc port 0", []session.Executable{ex("drunc-controller", "-c", "grpc://h:0")}, nil, 0},
		{"controller rest is not grpc", []session.Executable{ex("drunc-controller", "-c", "rest://h:3337")}, nil, 0},
		{"port too large", []session.Executable{ex("drunc-controller", "--port", "70000")}, nil, 0},
		{"application ignored", []session.Executable{ex("daq_application", "--port", "3338")}, nil, 0},
		{"nothing", []session.Executable{ex("sleep", "1")}, nil, 0},
	}
	for _, c := range cases {
		p := &session.Process{Name: "p", Executables: c.execs, Env: c.env}
		if got := ExtractPort(p); got != c.want {
			t.Errorf("%s: ExtractPort = %d, want %d", c.name, got, c.want)
		}
	}
}
