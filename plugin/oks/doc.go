// Package oks reads DUNE DAQ OKS configuration databases: oks-schema files
// (classes with superclasses, attributes and relationships) and oks-data
// files (objects with typed attributes and references), following their
// <include> directives through DUNEDAQ_DB_PATH.
//
// It is a pure Go replacement for the part of DUNE's C++ conffwk/OKS library
// that a process manager needs to read a Session, so kubectl-drunc can boot a
// session from the same files as drunc. It never panics on malformed input
// and every error names the file and, where known, the line.
package oks
