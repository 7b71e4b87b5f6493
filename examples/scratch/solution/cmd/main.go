// Upload service: POST a file (multipart form field "file") to /upload; it is saved in ./upload.
package main

import (
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
)

// Relative to the working directory, and never created by the program: it must already exist.
const uploadDir = "./upload"

func upload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	src, header, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "expected a file in the form field \"file\": "+err.Error(), http.StatusBadRequest)
		return
	}
	defer src.Close()

	name := filepath.Base(header.Filename)
	if name == "." || name == string(filepath.Separator) {
		http.Error(w, "bad file name", http.StatusBadRequest)
		return
	}
	dst, err := os.Create(filepath.Join(uploadDir, name))
	if err != nil {
		log.Printf("save %s: %v", name, err)
		http.Error(w, "cannot save the file", http.StatusInternalServerError)
		return
	}
	defer dst.Close()
	if _, err := io.Copy(dst, src); err != nil {
		log.Printf("save %s: %v", name, err)
		http.Error(w, "cannot save the file", http.StatusInternalServerError)
		return
	}
	log.Printf("saved %s (%d bytes)", name, header.Size)
	w.WriteHeader(http.StatusOK)
}

func main() {
	http.HandleFunc("/upload", upload)
	log.Println("listening on :9999")
	log.Fatal(http.ListenAndServe(":9999", nil))
}
