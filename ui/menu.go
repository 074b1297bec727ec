package ui

import "fyne.io/fyne/v2"

// menu is the window's main menu (filled in by the menus work).
func (mw *Window) menu() *fyne.MainMenu { return fyne.NewMainMenu() }

// bindKeys installs the keyboard shortcuts (filled in by the keys work).
func (mw *Window) bindKeys() {}
