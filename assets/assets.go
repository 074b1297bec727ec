// Package assets holds Outbox Lab's bundled resources: the application icon
// (icon.png, 512×512, also named by FyneApp.toml for `fyne package`).
package assets

import _ "embed"

// Icon is the application icon as PNG bytes; the GUI can wrap it with
// fyne.NewStaticResource("icon.png", assets.Icon).
//
//go:embed icon.png
var Icon []byte
