package message

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"

	gomessage "github.com/emersion/go-message"

	"github.com/smtpscope/smtpscope/protocol"
)

// sniffLen is how much of a file content sniffing looks at
// (http.DetectContentType reads at most 512 octets).
const sniffLen = 512

// Fallback media type of content nothing else names (RFC 2046 4.5.1).
const octetStream = "application/octet-stream"

// mailTypes are the media types of files people attach, by extension.
// They come first so that the result does not depend on the machine's
// mime.types; mime.TypeByExtension and content sniffing follow.
var mailTypes = map[string]string{
	".txt":  "text/plain",
	".text": "text/plain",
	".log":  "text/plain",
	".md":   "text/markdown",
	".csv":  "text/csv",
	".htm":  "text/html",
	".html": "text/html",
	".ics":  "text/calendar",
	".vcf":  "text/vcard",
	".xml":  "application/xml",
	".json": "application/json",
	".pdf":  "application/pdf",
	".zip":  "application/zip",
	".gz":   "application/gzip",
	".tar":  "application/x-tar",
	".doc":  "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".webp": "image/webp",
	".svg":  "image/svg+xml",
	".mp3":  "audio/mpeg",
	".wav":  "audio/wav",
	".mp4":  "video/mp4",
	".eml":  "message/rfc822",
	".asc":  "application/pgp-signature",
	".p7s":  "application/pkcs7-signature",
}

// GuessType returns the media type of a file from its name, else from its
// first octets (head), with a charset for text: "application/pdf",
// "text/plain; charset=utf-8".
func GuessType(name string, head []byte) string {
	ext := strings.ToLower(path.Ext(name))
	t := mailTypes[ext]
	if t == "" && ext != "" {
		t = mime.TypeByExtension(ext)
	}
	if t == "" {
		t = http.DetectContentType(head)
	}
	media, params, err := mime.ParseMediaType(t)
	if err != nil {
		return octetStream
	}
	if strings.HasPrefix(media, "text/") {
		switch {
		case isASCII(string(head)):
			params["charset"] = charsetASCII
		case validUTF8Head(head):
			params["charset"] = charsetUTF8
		default:
			delete(params, "charset") // unknown: the reader guesses
		}
	}
	return mime.FormatMediaType(media, params)
}

// validUTF8Head reports whether head is UTF-8, but for a sequence cut
// at its end by the sniffing limit.
func validUTF8Head(head []byte) bool {
	for i := len(head) - 1; i >= 0 && i >= len(head)-utf8.UTFMax; i-- {
		if utf8.RuneStart(head[i]) {
			if !utf8.FullRune(head[i:]) {
				head = head[:i]
			}
			break
		}
	}
	return utf8.Valid(head)
}

// AttachmentInfo describes an attachment as it went into the message.
type AttachmentInfo struct {
	Name        string // the file name given to the recipient
	ContentType string // the media type written: "application/pdf"
	Encoding    string // the Content-Transfer-Encoding: base64, or 7bit/8bit for a message/rfc822
	Size        int64  // octets of the file
}

// attachment writes one file as a part of mw.
type attachment struct {
	fsys  fs.FS
	name  string // in fsys
	eight bool   // the server offers 8BITMIME
	limit int64
}

// write adds the file as an attachment part: base64, except a message
// (RFC 2046 5.2.1: message/rfc822 takes no encoding but 7bit or 8bit),
// which goes as it is when it can and as application/octet-stream
// otherwise.
func (a attachment) write(mw *gomessage.Writer) (AttachmentInfo, []string, error) {
	if !fs.ValidPath(a.name) {
		return AttachmentInfo{}, nil, fmt.Errorf("attachment %q: not a file name this program can open", a.name)
	}
	f, err := a.fsys.Open(a.name)
	if err != nil {
		return AttachmentInfo{}, nil, fmt.Errorf("attachment %s: %w", a.name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	switch {
	case err != nil:
		return AttachmentInfo{}, nil, fmt.Errorf("attachment %s: %w", a.name, err)
	case st.IsDir():
		return AttachmentInfo{}, nil, fmt.Errorf("attachment %s is a directory; attach the files in it one by one", a.name)
	case st.Size() > a.limit:
		return AttachmentInfo{}, nil, &SizeError{What: "attachment " + a.name, Size: st.Size(), Limit: a.limit}
	}
	br := bufio.NewReaderSize(f, sniffLen)
	head, _ := br.Peek(sniffLen)
	info := AttachmentInfo{Name: path.Base(a.name), ContentType: GuessType(a.name, head), Encoding: EncBase64}
	var notes []string
	var src io.Reader = br
	if media, _, _ := mime.ParseMediaType(info.ContentType); strings.HasPrefix(media, "message/") {
		data, err := io.ReadAll(io.LimitReader(br, a.limit+1))
		if err != nil {
			return AttachmentInfo{}, nil, fmt.Errorf("attachment %s: %w", a.name, err)
		}
		var note string
		info.ContentType, info.Encoding, note = messageEncoding(info, data, a.eight)
		if note != "" {
			notes = append(notes, note)
		}
		src = bytes.NewReader(data)
	}
	var h gomessage.Header
	h.Add("Content-Transfer-Encoding", info.Encoding)
	h.SetContentDisposition("attachment", map[string]string{"filename": info.Name})
	h.Add("Content-Type", info.ContentType)
	pw, err := mw.CreatePart(h)
	if err != nil {
		return AttachmentInfo{}, nil, err
	}
	n, err := io.Copy(pw, src)
	if err == nil {
		err = pw.Close()
	}
	if err != nil {
		return AttachmentInfo{}, nil, fmt.Errorf("attachment %s: %w", a.name, err)
	}
	info.Size = n
	return info, notes, nil
}

// messageEncoding decides how an attached message goes: as it is (7bit,
// or 8bit when the server offers 8BITMIME) when its lines allow, else as
// an opaque file in base64.
func messageEncoding(info AttachmentInfo, data []byte, eightBitOK bool) (contentType, cte, note string) {
	var c protocol.ContentCounter
	c.Write(data)
	st := c.Stats()
	switch {
	case st.OverMax > 0 || st.NUL || st.BareCR > 0:
		return octetStream, EncBase64, fmt.Sprintf("%s has lines a message may not have (over 998 octets, NUL or bare CR), so it is attached as a plain file (application/octet-stream)", info.Name)
	case !st.EightBit:
		return info.ContentType, Enc7Bit, ""
	case eightBitOK:
		return info.ContentType, Enc8Bit, ""
	}
	return octetStream, EncBase64, fmt.Sprintf("%s has 8-bit content and the server did not offer 8BITMIME; an attached message cannot be base64-encoded (RFC 2046 5.2.1), so it is attached as a plain file (application/octet-stream)", info.Name)
}
