"""The evidence pack for the Qualiopi auditor: one ZIP per event with the programme, the
sign-in sheets, the attendance certificates, the questionnaires' results and the summary
sheet of the action (« Synthèse de l’action »)."""
