from django.urls import path

from .views import data, imports, interactions, letters, people, programs, red_flags, rotations

app_name = "contacts"
urlpatterns = [
    # Contacts
    path("contacts/", people.contact_list, name="list"),
    path("contacts/new/", people.contact_create, name="create"),
    path("contacts/picker/", people.contact_picker, name="picker"),
    path("contacts/<int:pk>/", people.contact_detail, name="detail"),
    path("contacts/<int:pk>/edit/", people.contact_edit, name="edit"),
    path("contacts/<int:pk>/delete/", people.contact_delete, name="delete"),
    path("contacts/<int:pk>/archive/", people.contact_archive, name="archive"),
    # Interactions (the quick-log posts here)
    path("log/", interactions.quick_log_page, name="quick_log"),
    path("interactions/new/", interactions.interaction_create, name="interaction_create"),
    path("interactions/<int:pk>/edit/", interactions.interaction_edit, name="interaction_edit"),
    path(
        "interactions/<int:pk>/delete/", interactions.interaction_delete, name="interaction_delete"
    ),
    # Rotations and their teams
    path("rotations/", rotations.rotation_list, name="rotation_list"),
    path("rotations/new/", rotations.rotation_create, name="rotation_create"),
    path("rotations/<int:pk>/", rotations.rotation_detail, name="rotation_detail"),
    path("rotations/<int:pk>/edit/", rotations.rotation_edit, name="rotation_edit"),
    path("rotations/<int:pk>/delete/", rotations.rotation_delete, name="rotation_delete"),
    path("rotations/<int:pk>/team/add/", rotations.team_add, name="rotation_team_add"),
    path(
        "rotations/<int:pk>/team/<int:member_pk>/remove/",
        rotations.team_remove,
        name="rotation_team_remove",
    ),
    # Letters
    path("letters/", letters.letter_board, name="letter_board"),
    path("letters/new/", letters.letter_create, name="letter_create"),
    path("letters/<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/edit/", letters.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/delete/", letters.letter_delete, name="letter_delete"),
    path("letters/<int:pk>/advance/", letters.letter_advance, name="letter_advance"),
    # Programs, and the ties contacts have to them ("who could vouch for me here?")
    path("programs/", programs.program_list, name="program_list"),
    path("programs/new/", programs.program_create, name="program_create"),
    path("programs/<int:pk>/", programs.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", programs.program_edit, name="program_edit"),
    path("programs/<int:pk>/delete/", programs.program_delete, name="program_delete"),
    path("programs/<int:pk>/ties/add/", programs.program_tie_add, name="program_tie_add"),
    path(
        "programs/<int:pk>/ties/<int:tie_pk>/remove/",
        programs.program_tie_remove,
        name="program_tie_remove",
    ),
    path("contacts/<int:pk>/ties/add/", programs.contact_tie_add, name="contact_tie_add"),
    path(
        "contacts/<int:pk>/ties/<int:tie_pk>/remove/",
        programs.contact_tie_remove,
        name="contact_tie_remove",
    ),
    # Red flags, from the settings page (only the student's own)
    path("settings/red-flags/new/", red_flags.red_flag_create, name="red_flag_create"),
    path("settings/red-flags/<int:pk>/edit/", red_flags.red_flag_edit, name="red_flag_edit"),
    path("settings/red-flags/<int:pk>/delete/", red_flags.red_flag_delete, name="red_flag_delete"),
    # The advocate/v1 data file, from the settings page
    path("settings/data/export/", data.data_export, name="data_export"),
    # Importing contacts (upload -> preview -> confirm), its template, the CSV and Excel exports
    path("contacts/import/", imports.import_start, name="import_start"),
    path("contacts/import/template.csv", imports.import_template, name="import_template"),
    path("contacts/import/<uuid:token>/", imports.import_preview, name="import_preview"),
    path("contacts/import/<uuid:token>/confirm/", imports.import_confirm, name="import_confirm"),
    path("settings/data/export.zip", imports.export_csv, name="export_csv"),
    path("settings/data/export.xlsx", imports.export_xlsx, name="export_xlsx"),
]
