package ui

import "github.com/smtpscope/smtpscope/themes"

// Layout limits, in terminal cells.
const (
	// MinWidth and MinHeight are the smallest terminal the screen fits in;
	// below, a message asks for a bigger one.
	MinWidth  = 60
	MinHeight = 16
	// sidePanelFrom is the width from which the explain panel sits to the
	// right of the session pane; narrower terminals stack it below.
	sidePanelFrom = 100
	// Side panel width: a share of the screen within bounds.
	panelShare    = 0.38
	panelMinWidth = 36
	panelMaxWidth = 64
	// Stacked panel height: a share of the space above the composer.
	stackedPanelShare = 0.40
	stackedPanelMin   = 7
	// lessonShare is the part of the side column the lesson pane takes
	// above the explain panel; lessonStackShare the part of the space
	// above the composer it takes on a narrow screen, where it stands in
	// for the stacked panel.
	lessonShare      = 0.6
	lessonStackShare = 0.5
	// composerLines are the input line and the hint/warning line, the
	// composer's height unless a warning needs more.
	composerLines = 2
	// bodyShare is the part of the main area the DATA editor takes.
	bodyShare   = 0.5
	bodyMinRows = 5
	headerRows  = 1
	footerRows  = 1
	// paneMinRows keeps a few session lines visible in DATA mode.
	paneMinRows = 4
	// observerMinHeight is the smallest area a read-only session view
	// (the proxy's) is drawn in: it has no header, composer or footer.
	observerMinHeight = 8
)

// screenKind says which parts a screen has.
type screenKind struct {
	dataMode     bool // the DATA editor replaces the composer
	composerRows int  // the composer's content rows (at least composerLines)
	// observer is a read-only session view inside another screen (the
	// proxy's connection view): no header, composer or footer.
	observer bool
	// lessons shows the lesson pane: above the explain panel in the side
	// column, or in the stacked panel's place on a narrow screen.
	lessons bool
}

// rect is a region of the screen: position and outer size.
type rect struct{ x, y, w, h int }

// screenLayout is where every region goes for one terminal size.
type screenLayout struct {
	tooSmall   bool
	header     rect
	pane       rect
	panel      rect
	lesson     rect // the lesson pane; zero size when not shown
	panelRight bool
	composer   rect
	footer     rect
	// composerRows are the composer's content rows the layout was made
	// for; a warning that needs more rows asks for a new layout.
	composerRows int
}

// layout computes every region for a width x height screen from the
// styles' frame sizes. The composer takes k.composerRows content rows (at
// least composerLines); in DATA mode it grows into a body editor; an
// observer has neither, nor a header or footer. With lessons, the lesson
// pane shares the side column with the explain panel (above it), or, on
// a narrow screen, takes the stacked panel's place.
func layout(width, height int, st *themes.Styles, k screenKind) screenLayout {
	var l screenLayout
	header, footer, minHeight := headerRows, footerRows, MinHeight
	if k.observer {
		header, footer, minHeight = 0, 0, observerMinHeight
	}
	if width < MinWidth || height < minHeight {
		l.tooSmall = true
		return l
	}
	frameV := st.PaneBorder.GetVerticalFrameSize()

	l.header = rect{0, 0, width, header}
	l.footer = rect{0, height - footer, width, footer}
	main := height - header - footer

	l.composerRows = k.composerRows
	composerH := frameV + max(composerLines, k.composerRows)
	switch {
	case k.observer:
		composerH = 0
	case k.dataMode:
		composerH = max(frameV+bodyMinRows+1, int(float64(main)*bodyShare))
		composerH = min(composerH, main-frameV-paneMinRows)
	}
	l.composer = rect{0, height - footer - composerH, width, composerH}
	above := main - composerH
	dataMode := k.dataMode
	headerRows := header
	if width >= sidePanelFrom {
		pw := min(max(int(float64(width)*panelShare), panelMinWidth), panelMaxWidth)
		l.panelRight = true
		l.pane = rect{0, headerRows, width - pw, above}
		lh := 0
		if k.lessons {
			lh = max(int(float64(above)*lessonShare), stackedPanelMin)
			if above-lh < stackedPanelMin {
				lh = above // no room for the panel under it
			}
		}
		l.lesson = rect{width - pw, headerRows, pw, lh}
		l.panel = rect{width - pw, headerRows + lh, pw, above - lh}
		return l
	}
	share := stackedPanelShare
	if k.lessons {
		share = lessonStackShare
	}
	ph := max(int(float64(above)*share), stackedPanelMin)
	if dataMode || above-ph < frameV+paneMinRows {
		// No room for both: the editor and the session matter most.
		ph = 0
	}
	l.pane = rect{0, headerRows, width, above - ph}
	l.panel = rect{0, headerRows + above - ph, width, ph}
	if k.lessons {
		l.lesson, l.panel = l.panel, rect{0, headerRows + above, width, 0}
	}
	return l
}
