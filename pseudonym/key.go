package pseudonym

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"filippo.io/age"

	"qcode"
)

// KeyFormat names a key file's JSON, so that another JSON file is not
// taken for one.
const KeyFormat = "qcode pseudonym key"

// Key records what a pseudonymisation replaced and where, so that it can
// be undone: in each source, which stretches of the pseudonymised text
// hold which original text, the speakers of its turns before, and the case
// attributes' values before. It is the only place the originals are left,
// so it is kept outside the project and can be encrypted.
type Key struct {
	Format     string         `json:"format"`
	Version    int            `json:"version"`
	Created    time.Time      `json:"created"`
	Project    string         `json:"project"` // the project folder's name, for people
	Items      []Item         `json:"items"`
	Sources    []KeySource    `json:"sources"`
	Attributes []KeyAttribute `json:"attributes,omitempty"`
}

// KeySource is what was replaced in one source.
type KeySource struct {
	Name string `json:"name"`
	// Hash is the SHA-256 of the pseudonymised text, in hex: a key is
	// used only on the text it made.
	Hash     string       `json:"hash"`
	Edits    []KeyEdit    `json:"edits"`              // in the pseudonymised text, in order
	Speakers []KeySpeaker `json:"speakers,omitempty"` // turns whose speaker was renamed
}

// KeyEdit says that the bytes [Start, End) of the pseudonymised text
// replaced Text.
type KeyEdit struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// KeySpeaker is a turn (numbered from 1) and its speaker before and after.
type KeySpeaker struct {
	Turn     int    `json:"turn"`
	Original string `json:"original"`
	Speaker  string `json:"speaker"`
}

// KeyAttribute is a case attribute's value before and after.
type KeyAttribute struct {
	Case      string `json:"case"`
	Attribute string `json:"attribute"`
	Original  string `json:"original"`
	Value     string `json:"value"`
}

// ScryptWorkFactor is the log2 of scrypt's work when a key is encrypted
// with a passphrase: age's default, about a second on a laptop, which is
// what makes guessing passphrases slow.
var ScryptWorkFactor = 18

// ageMagic starts every age file.
var ageMagic = []byte("age-encryption.org/v1\n")

// WriteKey writes k to w as JSON, encrypted with age for the passphrase
// when there is one.
func WriteKey(w io.Writer, k *Key, passphrase string) error {
	k.Format, k.Version = KeyFormat, 1
	data, err := json.MarshalIndent(k, "", " ")
	if err != nil {
		return err
	}
	if passphrase == "" {
		_, err := w.Write(append(data, '\n'))
		return err
	}
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return qcode.FieldError("passphrase", "", err.Error())
	}
	r.SetWorkFactor(ScryptWorkFactor)
	enc, err := age.Encrypt(w, r)
	if err != nil {
		return err
	}
	if _, err := enc.Write(data); err != nil {
		return err
	}
	return enc.Close()
}

// ReadKey reads the key file at path (its bytes data), decrypting it with
// the passphrase when it is encrypted. A file that is not a key, an
// encrypted key without a passphrase and a wrong passphrase are each a
// one-line qcode.EINVALID error naming path.
func ReadKey(path string, data []byte, passphrase string) (*Key, error) {
	if bytes.HasPrefix(data, ageMagic) {
		if passphrase == "" {
			return nil, qcode.FieldError("key", path, "is encrypted; give its passphrase")
		}
		id, err := age.NewScryptIdentity(passphrase)
		if err != nil {
			return nil, qcode.FieldError("key", path, err.Error())
		}
		r, err := age.Decrypt(bytes.NewReader(data), id)
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			return nil, qcode.FieldError("passphrase", "", fmt.Sprintf("does not open the key %s; check it (a passphrase is case sensitive)", path))
		}
		if err != nil {
			return nil, qcode.FieldError("key", path, "is damaged: "+err.Error())
		}
		if data, err = io.ReadAll(r); err != nil {
			return nil, qcode.FieldError("key", path, "is damaged: "+err.Error())
		}
	}
	var k Key
	if err := json.Unmarshal(data, &k); err != nil || k.Format != KeyFormat {
		return nil, qcode.FieldError("key", path, "is not a qcode pseudonym key (qcode pseudonymise --key writes one)")
	}
	if k.Version != 1 {
		return nil, qcode.FieldError("key", path, fmt.Sprintf("is a key of version %d; this qcode reads version 1", k.Version))
	}
	return &k, nil
}
