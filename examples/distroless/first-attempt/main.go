// Events service: POST a urlencoded form action=...&product=...&fingerprint=... to /api/events.
//
// Parameters are flags: ./app -port=9000 -host=0.0.0.0 -dbUrl=postgres://...
// -port and -host take their defaults from APP_PORT and APP_HOST; -dbUrl has no such fallback.
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"time"
)

// envOr is the default of a flag: the environment variable when it is set, else def.
func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

type event struct {
	Action      string
	Product     string
	Fingerprint string
	At          time.Time
}

// store keeps the events in memory (the database is not wired in yet).
type store struct {
	mu     sync.Mutex
	events []event
}

func (s *store) add(e event) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, e)
	return len(s.events)
}

func main() {
	port := flag.String("port", envOr("APP_PORT", "9000"), "port to listen on (default: $APP_PORT or 9000)")
	host := flag.String("host", envOr("APP_HOST", "0.0.0.0"), "address to listen on (default: $APP_HOST or 0.0.0.0)")
	dbURL := flag.String("dbUrl", "postgres://localhost:5432/events", "database URL")
	flag.Parse()

	db, err := url.Parse(*dbURL)
	if err != nil || (db.Scheme != "postgres" && db.Scheme != "postgresql") {
		log.Fatalf("-dbUrl: expected postgres://user:password@host:port/db, got %q", *dbURL)
	}
	log.Printf("database: %s", db.Redacted())

	st := &store{}
	http.HandleFunc("/api/events", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		e := event{Action: r.PostForm.Get("action"), Product: r.PostForm.Get("product"), Fingerprint: r.PostForm.Get("fingerprint"), At: time.Now()}
		if e.Action == "" || e.Product == "" || e.Fingerprint == "" {
			http.Error(w, "action, product and fingerprint are required", http.StatusBadRequest)
			return
		}
		n := st.add(e)
		log.Printf("event #%d: %s %s (%s)", n, e.Action, e.Product, e.Fingerprint)
		w.WriteHeader(http.StatusOK)
	})

	addr := net.JoinHostPort(*host, *port)
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
