"""Every user-facing string, in English and French, and number/date formats per language.

One table (`TEXTS`) so a missing translation is a test failure, not a page
showing English in the middle of French. No Streamlit here: the command line
uses the same strings and formats as the app.
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
from datetime import date
from functools import cache
from typing import Any

from babel import Locale, dates, numbers

from kpi.message_texts import MESSAGES

LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = "en"

NARROW_NBSP = "\u202f"  # French thousands separator (CLDR's), and space before % (ours)
NBSP = "\u00a0"  # French space before a unit (CLDR's)

# Money with no currency known (deals imported without one) reads as euros,
# the importer's default workspace currency (Mappings.currency).
DEFAULT_CURRENCY = "EUR"

TEXTS: dict[str, dict[str, str]] = {
    # --- command line report -------------------------------------------------
    "report.title": {"en": "Sales KPIs", "fr": "KPI commerciaux"},
    "report.period": {"en": "Period: {start} to {end}", "fr": "Période : du {start} au {end}"},
    "report.currency": {"en": "Currency", "fr": "Devise"},
    "report.pipeline": {"en": "Pipeline", "fr": "Pipeline"},
    "report.win_rate": {"en": "Win rate", "fr": "Taux de transformation"},
    "report.won_revenue": {"en": "Won revenue", "fr": "Chiffre d'affaires gagné"},
    "report.avg_deal_value": {"en": "Average deal value", "fr": "Valeur moyenne d'une affaire"},
    "report.cycle": {"en": "Sales cycle (average / median)",
                     "fr": "Cycle de vente (moyen / médian)"},
    "report.days": {"en": "{n} days", "fr": "{n} jours"},
    "report.open": {"en": "Open pipeline", "fr": "Pipeline ouvert"},
    "report.open_value": {"en": "{n} deals worth {value}", "fr": "{n} affaires pour {value}"},
    "report.social": {"en": "Social selling ({channel})", "fr": "Social selling ({channel})"},
    "report.social_line": {"en": "{leads} leads, {customers} customers ({rate})",
                           "fr": "{leads} pistes, {customers} clients ({rate})"},
    "report.proposals": {"en": "Proposals", "fr": "Propositions commerciales"},
    "report.proposals_line": {
        "en": "{sent} sent, {won} won, {lost} lost, {pending} pending; conversion {rate}",
        "fr": "{sent} envoyées, {won} gagnées, {lost} perdues, {pending} en attente ; "
              "transformation {rate}"},
    "report.forecast": {"en": "Forecast from pending proposals", "fr": "Prévision des devis en attente"},
    "report.content": {"en": "Marketing content", "fr": "Contenus marketing"},
    "report.content_line": {
        "en": "usage rate {rate}; {decks} decks, {articles} articles, {posts} own posts; "
              "{views} views, {likes} likes",
        "fr": "taux d'usage {rate} ; {decks} présentations, {articles} articles, {posts} posts "
              "perso ; {views} vues, {likes} j'aime"},
    "report.channels": {"en": "Channels to focus on", "fr": "Canaux sur lesquels se concentrer"},
    "report.keep": {"en": "Keep", "fr": "À garder"},
    "report.reduce": {"en": "Spend less on", "fr": "Réduire"},
    "report.insufficient": {"en": "Not enough data", "fr": "Pas assez de données"},
    "report.catch_all": {"en": "Not ranked (sources to map)", "fr": "Non classées (sources à rattacher)"},
    "report.stale": {"en": "Stale proposals (pending over {days} days, out of the forecast)",
                     "fr": "Devis dormants (en attente depuis plus de {days} jours, hors prévision)"},
    "report.compensation": {"en": "Packages vs revenue", "fr": "Packages vs chiffre d'affaires"},
    "report.team_ratio": {"en": "Team ratio", "fr": "Ratio de l'équipe"},
    "report.rep_line": {"en": "{rep}: {ratio} ({revenue} for {package})",
                        "fr": "{rep} : {ratio} ({revenue} pour {package})"},
    "report.no_package": {"en": "Reps without package data", "fr": "Commerciaux sans package"},
    "report.none": {"en": "none", "fr": "aucun"},
    "report.na": {"en": "n/a", "fr": "n.d."},
    "report.import": {"en": "Import", "fr": "Import"},
    "report.import_line": {
        "en": "{file}: {table}, {read} rows read, {accepted} accepted, {rejected} rejected",
        "fr": "{file} : {table}, {read} lignes lues, {accepted} acceptées, {rejected} rejetées"},
    # --- app and navigation -------------------------------------------------
    "app.demo_banner": {"en": "Demo data: upload your own exports on the Data page.",
                        "fr": "Données de démonstration : importez vos exports dans la page Données."},
    "nav.overview": {"en": "Overview", "fr": "Vue d'ensemble"},
    "nav.social": {"en": "Social selling", "fr": "Social selling"},
    "nav.proposals": {"en": "Proposals & forecast", "fr": "Propositions et prévision"},
    "nav.content": {"en": "Marketing content", "fr": "Contenus marketing"},
    "nav.channels": {"en": "Channels", "fr": "Canaux"},
    "nav.compensation": {"en": "Packages vs revenue", "fr": "Packages vs CA"},
    "nav.data": {"en": "Data", "fr": "Données"},
    "nav.definitions": {"en": "KPI definitions", "fr": "Définitions des KPI"},
    # --- sidebar filters ----------------------------------------------------
    "filters.title": {"en": "Filters", "fr": "Filtres"},
    "filters.period": {"en": "Period", "fr": "Période"},
    "filters.dates": {"en": "From – to", "fr": "Du – au"},
    "filters.reps": {"en": "Reps", "fr": "Commerciaux"},
    "filters.all_reps": {"en": "All reps", "fr": "Tous les commerciaux"},
    "filters.channels": {"en": "Channels", "fr": "Canaux"},
    "filters.all_channels": {"en": "All channels", "fr": "Tous les canaux"},
    "filters.currency": {"en": "Currency", "fr": "Devise"},
    "filters.currency_help": {
        "en": "Amounts in different currencies are never added up: every figure covers the "
              "deals in this currency. Deals per currency: {counts}.",
        "fr": "Les montants de devises différentes ne s'additionnent jamais : chaque chiffre "
              "porte sur les affaires dans cette devise. Affaires par devise : {counts}."},
    "filters.copy_link": {"en": "Copy link to this view", "fr": "Copier le lien de cette vue"},
    "filters.copy_link_help": {
        "en": "This address opens this page with these filters, settings and selections, in "
              "either language (use the copy button).",
        "fr": "Cette adresse ouvre cette page avec ces filtres, réglages et sélections, quelle "
              "que soit la langue du lecteur (bouton copier)."},
    "filters.latest_data": {
        "en": "Latest data: {date}. Periods count back from this day.",
        "fr": "Dernières données : {date}. Les périodes se comptent à partir de ce jour."},
    "filters.preset.all": {"en": "All data", "fr": "Toutes les données"},
    "filters.preset.this_month": {"en": "This month", "fr": "Ce mois-ci"},
    "filters.preset.last_month": {"en": "Last month", "fr": "Le mois dernier"},
    "filters.preset.this_quarter": {"en": "This quarter", "fr": "Ce trimestre"},
    "filters.preset.last_quarter": {"en": "Last quarter", "fr": "Le trimestre dernier"},
    "filters.preset.year_to_date": {"en": "Year to date", "fr": "Depuis le début de l'année"},
    "filters.preset.last_12_months": {"en": "Last 12 months", "fr": "12 derniers mois"},
    "filters.preset.custom": {"en": "Custom range", "fr": "Période personnalisée"},
    # --- tables and channels ----------------------------------------------
    "table.deals": {"en": "Deals", "fr": "Affaires"},
    "table.leads": {"en": "Leads", "fr": "Pistes"},
    "table.proposals": {"en": "Proposals", "fr": "Devis"},
    "table.content": {"en": "Content", "fr": "Contenus"},
    "table.compensation": {"en": "Packages", "fr": "Packages"},
    "table.channel_costs": {"en": "Channel costs", "fr": "Coûts des canaux"},
    "table.users": {"en": "Users", "fr": "Utilisateurs"},
    "table.quotas": {"en": "Quotas", "fr": "Objectifs"},
    "channel.linkedin": {"en": "LinkedIn", "fr": "LinkedIn"},
    "channel.facebook": {"en": "Facebook", "fr": "Facebook"},
    "channel.twitter": {"en": "X (Twitter)", "fr": "X (Twitter)"},
    "channel.viadeo": {"en": "Viadeo", "fr": "Viadeo"},
    "channel.other_social": {"en": "Other social", "fr": "Autres réseaux sociaux"},
    "channel.cold_email": {"en": "Cold email", "fr": "Prospection par e-mail"},
    "channel.cold_call": {"en": "Cold call", "fr": "Prospection téléphonique"},
    "channel.event": {"en": "Events", "fr": "Événements"},
    "channel.website_organic": {"en": "Website (organic)", "fr": "Référencement naturel"},
    "channel.website_paid": {"en": "Paid ads", "fr": "Publicité payante"},
    "channel.word_of_mouth": {"en": "Word of mouth", "fr": "Bouche-à-oreille"},
    "channel.referral": {"en": "Referral", "fr": "Recommandation"},
    "channel.other": {"en": "Other", "fr": "Autre"},
    "channel.unknown": {"en": "Unknown", "fr": "Inconnu"},
    "status.open": {"en": "Open", "fr": "En cours"},
    "status.won": {"en": "Won", "fr": "Gagnée"},
    "status.lost": {"en": "Lost", "fr": "Perdue"},
    # What a file's column is read as (the Data page's mapping editor, empty states).
    "field.deal_id": {"en": "Deal ID", "fr": "ID de l'affaire"},
    "field.deal_name": {"en": "Deal name", "fr": "Nom de l'affaire"},
    "field.owner": {"en": "Owner (rep)", "fr": "Propriétaire (commercial)"},
    "field.channel": {"en": "Source (channel)", "fr": "Source (canal)"},
    "field.stage": {"en": "Stage", "fr": "Étape"},
    "field.status": {"en": "Status", "fr": "Statut"},
    "field.amount": {"en": "Amount", "fr": "Montant"},
    "field.amount_company": {"en": "Amount in company currency", "fr": "Montant en devise de la société"},
    "field.created_at": {"en": "Created on", "fr": "Date de création"},
    "field.closed_at": {"en": "Closed on", "fr": "Date de clôture"},
    "field.proposal_sent_at": {"en": "Proposal sent on", "fr": "Date d'envoi du devis"},
    "field.lead_id": {"en": "Lead ID", "fr": "ID de la piste"},
    "field.currency": {"en": "Currency", "fr": "Devise"},
    "field.won_at": {"en": "Won on", "fr": "Gagnée le"},
    "field.lost_at": {"en": "Lost on", "fr": "Perdue le"},
    "field.is_won": {"en": "Won (yes/no)", "fr": "Gagnée (oui/non)"},
    "field.is_closed": {"en": "Closed (yes/no)", "fr": "Clôturée (oui/non)"},
    "field.is_active": {"en": "Active (yes/no)", "fr": "Active (oui/non)"},
    "field.converted_at": {"en": "Converted on", "fr": "Date de conversion"},
    "field.lead_status": {"en": "Lead status", "fr": "Statut de la piste"},
    "field.is_converted": {"en": "Converted (yes/no)", "fr": "Convertie (oui/non)"},
    "field.proposal_id": {"en": "Proposal ID", "fr": "ID du devis"},
    "field.sent_at": {"en": "Sent on", "fr": "Date d'envoi"},
    "field.date": {"en": "Date", "fr": "Date"},
    "field.kind": {"en": "Content type", "fr": "Type de contenu"},
    "field.title": {"en": "Title", "fr": "Titre"},
    "field.views": {"en": "Views", "fr": "Vues"},
    "field.likes": {"en": "Likes", "fr": "J'aime"},
    "field.month": {"en": "Month", "fr": "Mois"},
    "field.package": {"en": "Package (month)", "fr": "Package (mois)"},
    "field.annual_package": {"en": "Package (year)", "fr": "Package (année)"},
    "field.spend": {"en": "Spend", "fr": "Dépense"},
    "field.user_id": {"en": "User ID", "fr": "ID utilisateur"},
    "field.full_name": {"en": "Full name", "fr": "Nom complet"},
    "field.first_name": {"en": "First name", "fr": "Prénom"},
    "field.last_name": {"en": "Last name", "fr": "Nom de famille"},
    "field.period_start": {"en": "Period start (month)", "fr": "Début de période (mois)"},
    "field.period_end": {"en": "Period end", "fr": "Fin de période"},
    "field.interval": {"en": "Interval (month, quarter, year)", "fr": "Intervalle (mois, trimestre, année)"},
    "field.target": {"en": "Quota (target)", "fr": "Objectif (quota)"},
    "field.ignored": {"en": "— (not used)", "fr": "— (non utilisée)"},
    # --- data page --------------------------------------------------------
    "data.title": {"en": "Data", "fr": "Données"},
    "data.intro": {
        "en": "Drop CRM exports (HubSpot, Salesforce, Pipedrive, Zoho, Sellsy, spreadsheets): "
              "each file's table and columns are recognised; check and fix them below.",
        "fr": "Déposez vos exports CRM (HubSpot, Salesforce, Pipedrive, Zoho, Sellsy, tableurs) : "
              "la table et les colonnes de chaque fichier sont reconnues ; vérifiez-les ci-dessous."},
    "data.read_only": {"en": "You are viewing a published snapshot: it is read-only.",
                       "fr": "Vous consultez un instantané publié : il est en lecture seule."},
    "data.empty": {"en": "No data yet: drop your exports above, or load the demo data.",
                   "fr": "Aucune donnée : déposez vos exports ci-dessus ou chargez la démo."},
    "data.upload": {"en": "CRM exports (CSV, TSV, XLSX, Parquet)",
                    "fr": "Exports CRM (CSV, TSV, XLSX, Parquet)"},
    "data.upload_help": {
        "en": "Deals, leads, proposals, content activity, packages or channel costs. "
              "Several files of the same table are appended.",
        "fr": "Affaires, pistes, devis, activité de contenu, packages ou coûts des canaux. "
              "Plusieurs fichiers d'une même table s'ajoutent."},
    "data.importing": {"en": "Importing {n} file(s)…", "fr": "Import de {n} fichier(s)…"},
    "data.reading": {"en": "Reading {file}…", "fr": "Lecture de {file}…"},
    "data.imported": {"en": "{n} file(s) imported", "fr": "{n} fichier(s) importé(s)"},
    "data.load_demo": {"en": "Load demo data", "fr": "Charger la démo"},
    "data.clear": {"en": "Clear", "fr": "Tout effacer"},
    "data.kept_browser": {
        "en": "Your files and mapping fixes are kept on this server for this browser only: "
              "a reload or a new tab finds them again. “{clear}” starts over, "
              "“{demo}” brings the demo back.",
        "fr": "Vos fichiers et vos corrections sont conservés sur ce serveur pour ce "
              "navigateur seulement : vous les retrouvez après un rechargement ou dans un "
              "nouvel onglet. « {clear} » pour repartir de zéro, « {demo} » pour revenir "
              "à la démo."},
    "data.kept_user": {
        "en": "Your files and mapping fixes are kept as your draft, seen by you only, "
              "until you publish. “{clear}” starts over.",
        "fr": "Vos fichiers et vos corrections sont conservés comme brouillon, visible par "
              "vous seul, jusqu'à la publication. « {clear} » pour repartir de zéro."},
    "draft.save_failed": {
        "en": "Your last change could not be saved on the server: a reload would lose it.",
        "fr": "Votre dernière modification n'a pas pu être enregistrée sur le serveur : "
              "un rechargement la perdrait."},
    "data.demo_banner": {"en": "These are demo data, generated for a fictitious startup.",
                         "fr": "Ce sont des données de démonstration d'une startup fictive."},
    "data.file_title": {"en": "{file} — {table}: {accepted}, {rejected}",
                        "fr": "{file} — {table} : {accepted}, {rejected}"},
    "data.rows_loaded.one": {"en": "{n} row loaded", "fr": "{n} ligne chargée"},
    "data.rows_loaded.other": {"en": "{n} rows loaded", "fr": "{n} lignes chargées"},
    "data.rows_rejected.one": {"en": "{n} rejected", "fr": "{n} rejetée"},
    "data.rows_rejected.other": {"en": "{n} rejected", "fr": "{n} rejetées"},
    "data.encoding": {"en": "Encoding", "fr": "Encodage"},
    "data.delimiter": {"en": "Delimiter", "fr": "Séparateur"},
    "data.decimal_mark": {"en": "Decimal mark", "fr": "Séparateur décimal"},
    "data.date_order": {"en": "Date order", "fr": "Ordre des dates"},
    "date_order.DMY": {"en": "day/month/year", "fr": "jour/mois/année"},
    "date_order.MDY": {"en": "month/day/year", "fr": "mois/jour/année"},
    "date_order.YMD": {"en": "year-month-day", "fr": "année-mois-jour"},
    "data.header_row": {"en": "Header row", "fr": "Ligne d'en-tête"},
    "data.sheet": {"en": "Sheet", "fr": "Feuille"},
    "data.rows_read": {"en": "Rows read", "fr": "Lignes lues"},
    "data.rows_accepted": {"en": "Rows loaded", "fr": "Lignes chargées"},
    "data.rows_rejected": {"en": "Rows rejected", "fr": "Lignes rejetées"},
    "data.rows_dropped": {"en": "Deleted deals dropped", "fr": "Affaires supprimées ignorées"},
    "data.rejects": {"en": "Rejected rows", "fr": "Lignes rejetées"},
    "data.reject_row": {"en": "Row", "fr": "Ligne"},
    "data.reject_column": {"en": "Column", "fr": "Colonne"},
    "data.reject_value": {"en": "Value", "fr": "Valeur"},
    "data.reject_reason": {"en": "Reason", "fr": "Raison"},
    "data.download_rejects": {"en": "Download rejected rows (CSV)",
                              "fr": "Télécharger les lignes rejetées (CSV)"},
    "data.replace": {"en": "Replace this file", "fr": "Remplacer ce fichier"},
    "data.remove": {"en": "Remove this file", "fr": "Retirer ce fichier"},
    "data.table_kind": {"en": "Table", "fr": "Table"},
    "data.source_column": {"en": "Column in the file", "fr": "Colonne du fichier"},
    "data.field": {"en": "Read as", "fr": "Lue comme"},
    "data.how_read": {"en": "How values were read", "fr": "Lecture des valeurs"},
    "data.value_mappings": {"en": "Channels and statuses", "fr": "Canaux et statuts"},
    "data.value_mappings_help": {
        "en": "How each raw value of your exports is understood. Change one and every page "
              "follows.",
        "fr": "Comment chaque valeur brute de vos exports est comprise. Modifiez-en une et "
              "toutes les pages suivent."},
    "data.channel_mapping": {"en": "Channel mapping", "fr": "Correspondance des canaux"},
    "data.status_mapping": {"en": "Status mapping", "fr": "Correspondance des statuts"},
    "data.raw_value": {"en": "Value in the export", "fr": "Valeur dans l'export"},
    "data.channel": {"en": "Channel", "fr": "Canal"},
    "data.status": {"en": "Status", "fr": "Statut"},
    "data.remapping": {"en": "Applying the new mapping…",
                       "fr": "Application de la nouvelle correspondance…"},
    "data.refused_title": {"en": "{file} — not loaded: choose its table and columns",
                           "fr": "{file} — non chargé : choisissez sa table et ses colonnes"},
    "data.failed_title": {"en": "{file} — {table}: not loaded, all {n} rows rejected",
                          "fr": "{file} — {table} : non chargé, les {n} lignes rejetées"},
    "data.all_rejected": {"en": "Every row was rejected ({n}). Most often: {reason}{example}.",
                          "fr": "Toutes les lignes ont été rejetées ({n}). Le plus souvent : "
                                "{reason}{example}."},
    "data.reject_example": {"en": " (column {column}, e.g. {value})",
                            "fr": " (colonne {column}, par ex. {value})"},
    "data.samples": {"en": "Sample values", "fr": "Exemples de valeurs"},
    "data.apply_mapping": {"en": "Apply this mapping", "fr": "Appliquer cette correspondance"},
    "data.alternative": {"en": "This file could also be {table}.",
                         "fr": "Ce fichier pourrait aussi être de la table {table}."},
    "data.read_as": {"en": "Read as {table}", "fr": "Lire comme {table}"},
    "data.map_values": {"en": "Map this file's statuses and sources",
                        "fr": "Associer les statuts et sources de ce fichier"},
    "data.values_of_file": {"en": "Showing the values of {file} only.",
                            "fr": "Seules les valeurs de {file} sont affichées."},
    "data.all_values": {"en": "Show every file's values",
                        "fr": "Afficher les valeurs de tous les fichiers"},
    "data.save_mapping": {"en": "Use this mapping for files with these headers",
                          "fr": "Utiliser cette correspondance pour les fichiers ayant ces en-têtes"},
    "data.mapping_saved": {"en": "Files with these headers are read with this mapping.",
                           "fr": "Les fichiers ayant ces en-têtes sont lus avec cette "
                                 "correspondance."},
    "data.download_mappings": {"en": "Download the mappings (JSON)",
                               "fr": "Télécharger les correspondances (JSON)"},
    "data.download_mappings_help": {
        "en": "Saved column mappings, channel and status mappings and the currency, in one "
              "file: keep it to read your next exports the same way.",
        "fr": "Correspondances de colonnes enregistrées, de canaux et de statuts, et la devise, "
              "dans un fichier : gardez-le pour lire vos prochains exports de la même façon."},
    "data.default_currency": {"en": "Amounts with no currency are in",
                              "fr": "Les montants sans devise sont en"},
    "data.default_currency_help": {
        "en": "For files with no currency column and no symbol or code in their amounts. "
              "Changing it reads every file again.",
        "fr": "Pour les fichiers sans colonne de devise ni symbole ou code dans leurs montants. "
              "La changer relit tous les fichiers."},
    "data.files_with_warnings": {"en": "Check these files: {files}.",
                                 "fr": "Vérifiez ces fichiers : {files}."},
    "data.files_not_loaded": {"en": "Not loaded: {files}.", "fr": "Non chargés : {files}."},
    "data.demo_put_away": {"en": "The demo data was put away; your files are shown.",
                           "fr": "Les données de démonstration ont été rangées ; vos fichiers "
                                 "sont affichés."},
    "data.back_to_demo": {"en": "Back to the demo", "fr": "Revenir à la démo"},
    # --- KPI pages: shared frame ----------------------------------------------
    "page.docs_link": {"en": "How it is computed", "fr": "Mode de calcul"},
    "page.no_rows": {"en": "Nothing in this period for the chosen reps and channels: widen the period or clear a filter in the sidebar.",
                     "fr": "Rien sur cette période pour les commerciaux et canaux choisis : élargissez la période ou retirez un filtre dans la barre latérale."},
    "page.period": {"en": "{start} – {end}", "fr": "du {start} au {end}"},
    "page.scope": {"en": "{period} · {reps} · {channels}",
                   "fr": "Période {period} · {reps} · {channels}"},
    "page.scope_reps": {"en": "Reps: {names}", "fr": "Commerciaux : {names}"},
    "page.scope_channels": {"en": "Channels: {names}", "fr": "Canaux : {names}"},
    "page.left_out.one": {"en": "{n} deal in another currency ({currencies}) is left out.",
                          "fr": "{n} affaire dans une autre devise ({currencies}) est laissée de côté."},
    "page.left_out.other": {"en": "{n} deals in other currencies ({currencies}) are left out.",
                            "fr": "{n} affaires dans d'autres devises ({currencies}) sont laissées de côté."},
    "page.rows_behind.one": {"en": "Rows behind the chart ({n})", "fr": "Données du graphique ({n} ligne)"},
    "page.rows_behind.other": {"en": "Rows behind the chart ({n})", "fr": "Données du graphique ({n} lignes)"},
    "page.table_empty": {"en": "No rows.", "fr": "Aucune ligne."},
    "page.download_csv": {"en": "Download CSV", "fr": "Télécharger en CSV"},
    "empty.title": {"en": "No {table} loaded yet", "fr": "Aucune donnée « {table} » chargée"},
    "empty.columns": {"en": "Columns needed: {columns}. CRM headers (HubSpot, Salesforce, Pipedrive, Zoho, French exports) are recognised.",
                      "fr": "Colonnes nécessaires : {columns}. Les en-têtes des CRM (HubSpot, Salesforce, Pipedrive, Zoho, exports en français) sont reconnus."},
    "empty.deals": {"en": "Upload a deals (opportunities) export from your CRM on the Data page.",
                    "fr": "Importez un export des affaires (opportunités) de votre CRM dans la page Données."},
    "empty.leads": {"en": "Upload a leads or contacts export on the Data page.",
                    "fr": "Importez un export des pistes ou contacts dans la page Données."},
    "empty.proposals": {"en": "Upload a proposals (quotes) export on the Data page, or a deals export with the date each proposal was sent.",
                        "fr": "Importez un export des devis dans la page Données, ou un export des affaires avec la date d'envoi de chaque devis."},
    "empty.content": {"en": "Upload the marketing content activity (decks and articles shared, reps' own posts) on the Data page.",
                      "fr": "Importez l'activité de contenus marketing (présentations et articles partagés, posts des commerciaux) dans la page Données."},
    "empty.compensation": {"en": "Upload the reps' packages (fixed + variable + bonus), per month or per year, on the Data page.",
                           "fr": "Importez les packages des commerciaux (fixe + variable + primes), par mois ou par an, dans la page Données."},
    "empty.channel_costs": {"en": "Upload what was spent per channel and month on the Data page.",
                            "fr": "Importez les dépenses par canal et par mois dans la page Données."},
    "empty.quotas": {"en": "Upload the reps' quotas (a target per rep and month, quarter or year: Salesforce forecast quotas, HubSpot or Pipedrive goals, a spreadsheet) on the Data page.",
                     "fr": "Importez les objectifs des commerciaux (un objectif par commercial et par mois, trimestre ou année : quotas de prévision Salesforce, objectifs HubSpot ou Pipedrive, un tableur) dans la page Données."},
    "empty.users": {"en": "Owners given as user ids (Salesforce, Bitrix24) show names once the CRM's users export is uploaded on the Data page.",
                    "fr": "Les commerciaux exportés sous forme d'identifiants (Salesforce, Bitrix24) prennent leur nom dès que l'export des utilisateurs du CRM est chargé sur la page Données."},
    "unit.days": {"en": "{n} days", "fr": "{n} jours"},
    "unit.points": {"en": "{n} pts", "fr": "{n} pts"},
    # --- KPI names (cards, axes, tables) -----------------------------------------
    "kpi.win_rate": {"en": "Win rate", "fr": "Taux de transformation"},
    "kpi.won_revenue": {"en": "Won revenue", "fr": "CA gagné"},
    "kpi.avg_deal_value": {"en": "Average deal value", "fr": "Panier moyen"},
    "kpi.avg_cycle_days": {"en": "Sales cycle (average)", "fr": "Cycle de vente (moyen)"},
    "kpi.median_cycle_days": {"en": "Sales cycle (median)", "fr": "Cycle de vente (médian)"},
    "kpi.closed": {"en": "Closed deals", "fr": "Affaires clôturées"},
    "kpi.won_deals": {"en": "Won deals", "fr": "Affaires gagnées"},
    "kpi.lost_deals": {"en": "Lost deals", "fr": "Affaires perdues"},
    "kpi.open_pipeline": {"en": "Open pipeline", "fr": "Pipeline ouvert"},
    "kpi.open_deals": {"en": "Open deals", "fr": "Affaires en cours"},
    "kpi.deals_created": {"en": "Deals created", "fr": "Affaires créées"},
    "kpi.lead_to_customer_rate": {"en": "Lead → customer", "fr": "Piste → client"},
    "kpi.conversion_rate": {"en": "Conversion rate", "fr": "Taux de transformation"},
    "kpi.usage_rate": {"en": "Deals with a deck", "fr": "Affaires avec présentation"},
    "kpi.deals_worked": {"en": "Deals worked", "fr": "Affaires travaillées"},
    "kpi.deals_with_content": {"en": "Deals with a deck", "fr": "Affaires avec présentation"},
    "kpi.decks_shared": {"en": "Decks shared", "fr": "Présentations envoyées"},
    "kpi.articles_shared": {"en": "Articles shared", "fr": "Articles partagés"},
    "kpi.own_posts": {"en": "Own posts", "fr": "Posts personnels"},
    "kpi.views": {"en": "Views", "fr": "Vues"},
    "kpi.likes": {"en": "Likes", "fr": "J'aime"},
    "kpi.revenue": {"en": "Revenue", "fr": "Chiffre d'affaires"},
    "kpi.revenue_per_closed": {"en": "Revenue per closed deal", "fr": "CA par affaire clôturée"},
    "kpi.spend": {"en": "Spend", "fr": "Dépense"},
    "kpi.cac": {"en": "Acquisition cost per customer (CAC)", "fr": "Coût d'acquisition client (CAC)"},
    "kpi.ratio": {"en": "Revenue / package", "fr": "CA / package"},
    "kpi.package": {"en": "Package", "fr": "Package"},
    # --- help bubbles --------------------------------------------------------------
    "help.win_rate": {"en": "{won} won out of {closed} deals closed (won or lost) in the period.",
                      "fr": "{won} gagnées sur {closed} affaires clôturées (gagnées ou perdues) sur la période."},
    "help.avg_deal_value": {"en": "Won revenue divided by the number of won deals.",
                            "fr": "CA gagné divisé par le nombre d'affaires gagnées."},
    "help.cycle": {"en": "Days from creation to closing, over the deals won in the period. Shorter is better.",
                   "fr": "Jours entre la création et la signature, sur les affaires gagnées de la période. Plus court, c'est mieux."},
    "help.closed": {"en": "{won} won, {lost} lost.", "fr": "{won} gagnées, {lost} perdues."},
    "help.open_pipeline": {"en": "Deals still open, created on or before the end of the period.",
                           "fr": "Affaires encore en cours, créées au plus tard à la fin de la période."},
    "help.social_leads": {"en": "Leads of this network created in the period (without a leads table: its deals).",
                          "fr": "Pistes de ce réseau créées sur la période (sans table de pistes : ses affaires)."},
    "help.pending_value": {"en": "Worth {value} in total.", "fr": "Pour un total de {value}."},
    "help.conversion_rate": {"en": "Won / (won + lost): pending proposals are not counted.",
                             "fr": "Gagnées / (gagnées + perdues) : les devis en attente ne comptent pas."},
    "help.forecast": {"en": "Pending proposals ({value}) × conversion rate ({rate}).",
                      "fr": "Devis en attente ({value}) × taux de transformation ({rate})."},
    "help.forecast_stale_out": {"en": "Pending proposals ({value}, stale ones left out) × conversion rate ({rate}).",
                                "fr": "Devis en attente ({value}, hors dormants) × taux de transformation ({rate})."},
    "help.usage_rate": {"en": "{n} of the {total} deals created in the period received a marketing deck.",
                        "fr": "{n} des {total} affaires créées sur la période ont reçu une présentation marketing."},
    "help.team_ratio": {"en": "Revenue won by the reps with a package, divided by their packages.",
                        "fr": "CA gagné par les commerciaux ayant un package, divisé par leurs packages."},
    "help.package": {"en": "Each month's package × the share of that month's days inside the period.",
                     "fr": "Package de chaque mois × la part des jours de ce mois comprise dans la période."},
    # --- chart labels ------------------------------------------------------------------
    "chart.month": {"en": "Month", "fr": "Mois"},
    "chart.month_closed": {"en": "Month closed", "fr": "Mois de clôture"},
    "chart.month_created": {"en": "Month created", "fr": "Mois de création"},
    "chart.month_sent": {"en": "Month sent", "fr": "Mois d'envoi"},
    "chart.month_expected": {"en": "Expected decision month", "fr": "Mois de décision attendu"},
    "chart.deals": {"en": "Deals", "fr": "Affaires"},
    "chart.won_of_closed": {"en": "{won} won of {closed} closed", "fr": "{won} gagnées sur {closed} clôturées"},
    "chart.won_of_decided": {"en": "{won} won of {decided} decided", "fr": "{won} gagnés sur {decided} décidés"},
    "chart.period_average": {"en": "Period: {value}", "fr": "Période : {value}"},
    "chart.team_value": {"en": "Team: {value}", "fr": "Équipe : {value}"},
    "chart.rep": {"en": "Rep", "fr": "Commercial"},
    "chart.channel": {"en": "Channel", "fr": "Canal"},
    "chart.count": {"en": "Count", "fr": "Nombre"},
    "chart.stage": {"en": "Step", "fr": "Étape"},
    "chart.status": {"en": "Status", "fr": "Statut"},
    "chart.proposals": {"en": "Proposals", "fr": "Devis"},
    "chart.amount": {"en": "Amount", "fr": "Montant"},
    # --- table columns -------------------------------------------------------------------
    "col.month": {"en": "Month", "fr": "Mois"},
    "col.month_sent": {"en": "Month sent", "fr": "Mois d'envoi"},
    "col.month_expected": {"en": "Expected month", "fr": "Mois attendu"},
    "col.rep": {"en": "Rep", "fr": "Commercial"},
    "col.channel": {"en": "Channel", "fr": "Canal"},
    "col.deal": {"en": "Deal", "fr": "Affaire"},
    "col.deal_id": {"en": "Deal ID", "fr": "ID affaire"},
    "col.status": {"en": "Status", "fr": "Statut"},
    "col.amount": {"en": "Amount", "fr": "Montant"},
    "col.created_at": {"en": "Created", "fr": "Créée le"},
    "col.closed_at": {"en": "Closed", "fr": "Clôturée le"},
    # --- overview --------------------------------------------------------------------------
    "overview.title": {"en": "Overview", "fr": "Vue d'ensemble"},
    "overview.definition": {"en": "Win rate, average deal value and sales cycle over the deals closed in the period, compared with the period just before and with the same period a year earlier.",
                            "fr": "Taux de transformation, valeur moyenne et cycle de vente des affaires clôturées sur la période, comparés à la période précédente et à la même période un an plus tôt."},
    "overview.compared": {"en": "Changes against the period just before: {previous}.",
                          "fr": "Évolutions par rapport à la période précédente : {previous}."},
    "overview.no_previous": {"en": "No deal closed in the period just before ({previous}): nothing to compare with.",
                             "fr": "Aucune affaire clôturée sur la période précédente ({previous}) : pas de comparaison."},
    "overview.year_compared": {"en": "Year on year (beside each change): against {year}.",
                               "fr": "Sur un an (à côté de chaque évolution) : par rapport à la période {year}."},
    "overview.no_year": {"en": "No deal closed a year earlier ({year}): no year-on-year change.",
                         "fr": "Aucune affaire clôturée un an plus tôt ({year}) : pas d'évolution sur un an."},
    "overview.yoy": {"en": "{delta} YoY", "fr": "{delta} sur un an"},
    "overview.revenue_by_month": {"en": "Won revenue by month", "fr": "CA gagné par mois"},
    "overview.win_rate_by_month": {"en": "Win rate by month", "fr": "Taux de transformation par mois"},
    "overview.open_by_rep": {"en": "Open pipeline by rep", "fr": "Pipeline ouvert par commercial"},
    "overview.no_open": {"en": "No open deal.", "fr": "Aucune affaire en cours."},
    "overview.point_size": {"en": "Point size: deals closed in the month.",
                            "fr": "Taille du point : affaires clôturées dans le mois."},
    "overview.low_volume": {"en": "Hollow points: fewer than {n} deals closed that month, too few to read as a trend.",
                            "fr": "Points creux : moins de {n} affaires clôturées ce mois-là, trop peu pour y lire une tendance."},
    # --- social selling ---------------------------------------------------------------------
    "social.title": {"en": "Social selling", "fr": "Social selling"},
    "social.definition": {"en": "From the leads of one social network to its customers, and what its deals are worth against the other channels. The rep and period filters apply, not the channel filter.",
                          "fr": "Des pistes d'un réseau social jusqu'à ses clients, et ce que valent ses affaires face aux autres canaux. Les filtres de période et de commerciaux s'appliquent, pas celui des canaux."},
    "social.network": {"en": "Social network", "fr": "Réseau social"},
    "social.no_leads_table": {"en": "No leads table loaded: leads are the deals of this network created in the period, customers those of them now won.",
                              "fr": "Pas de table de pistes : les pistes sont les affaires de ce réseau créées sur la période, les clients celles d'entre elles gagnées."},
    "social.channel_filter_ignored": {"en": "The channel filter of the sidebar does not apply to this page.",
                                      "fr": "Le filtre des canaux de la barre latérale ne s'applique pas à cette page."},
    "social.leads_from": {"en": "Leads from {channel}", "fr": "Pistes {channel}"},
    "social.avg_deal_value_of": {"en": "Average deal value, {channel}", "fr": "Panier moyen, {channel}"},
    "social.avg_deal_value_other": {"en": "Average deal value, other channels", "fr": "Panier moyen, autres canaux"},
    "social.vs_other_channels": {"en": "vs other channels ({value})", "fr": "vs autres canaux ({value})"},
    "social.funnel": {"en": "{channel} funnel", "fr": "Entonnoir {channel}"},
    "social.value_vs_channels": {"en": "Average deal value by channel", "fr": "Valeur moyenne d'une affaire par canal"},
    "social.by_month": {"en": "{channel}: leads and customers by month", "fr": "{channel} : pistes et clients par mois"},
    "social.by_rep": {"en": "By rep", "fr": "Par commercial"},
    "social.no_won": {"en": "No deal won in the period.", "fr": "Aucune affaire gagnée sur la période."},
    "social.nothing_created": {"en": "No lead or deal from {channel} created in the period.",
                               "fr": "Aucune piste ni affaire {channel} créée sur la période."},
    "social.other_average": {"en": "Other channels: {value}", "fr": "Autres canaux : {value}"},
    "social.share_of_leads": {"en": "Share of leads", "fr": "Part des pistes"},
    "social.stage.leads": {"en": "Leads", "fr": "Pistes"},
    "social.stage.deals": {"en": "Deals", "fr": "Affaires"},
    "social.stage.customers": {"en": "Customers", "fr": "Clients"},
    # --- proposals -----------------------------------------------------------------------------
    "proposals.title": {"en": "Proposals & forecast", "fr": "Propositions et prévision"},
    "proposals.definition": {"en": "Proposals sent in the period, how many were won, lost or are still pending, and what the pending ones should bring at the current conversion rate.",
                             "fr": "Devis envoyés sur la période, combien ont été gagnés, perdus ou sont en attente, et ce que les devis en attente devraient rapporter au taux de transformation actuel."},
    "proposals.from_deals": {"en": "No proposals table loaded: the deals' proposal sent dates are used.",
                             "fr": "Pas de table de devis : les dates d'envoi de proposition des affaires sont utilisées."},
    "proposals.sent": {"en": "Sent", "fr": "Envoyés"},
    "proposals.won": {"en": "Won", "fr": "Gagnés"},
    "proposals.lost": {"en": "Lost", "fr": "Perdus"},
    "proposals.pending": {"en": "Pending", "fr": "En attente"},
    "proposals.pending_value": {"en": "Pending value", "fr": "Montant en attente"},
    "proposals.forecast_revenue": {"en": "Forecast revenue", "fr": "CA prévisionnel"},
    "proposals.by_month": {"en": "Proposals by month sent", "fr": "Devis par mois d'envoi"},
    "proposals.by_rep": {"en": "Conversion rate by rep", "fr": "Taux de transformation par commercial"},
    "proposals.forecast": {"en": "Forecast of pending proposals", "fr": "Prévision des devis en attente"},
    "proposals.decision_days.median": {"en": "A pending proposal is expected {n} days after it was sent (the median time to a decision).",
                                       "fr": "Un devis en attente est attendu {n} jours après son envoi (délai médian de décision)."},
    "proposals.decision_days.default": {"en": "A pending proposal is expected {n} days after it was sent (no decided proposal to measure the usual delay).",
                                        "fr": "Un devis en attente est attendu {n} jours après son envoi (aucun devis décidé pour mesurer le délai habituel)."},
    "proposals.none_decided": {"en": "No proposal won or lost yet.", "fr": "Aucun devis gagné ou perdu pour l'instant."},
    "proposals.none_pending": {"en": "No pending proposal.", "fr": "Aucun devis en attente."},
    "proposals.bucket.overdue": {"en": "Overdue", "fr": "En retard"},
    "proposals.bucket.stale": {"en": "Stale", "fr": "Dormants"},
    "proposals.stale_days": {"en": "Stale after (days)", "fr": "Dormant après (jours)"},
    "proposals.stale_days_help": {"en": "A proposal pending for longer than this is stale: shown apart and left out of the forecast unless you count it in.",
                                  "fr": "Un devis en attente depuis plus longtemps est dormant : affiché à part et hors prévision, sauf si vous l'incluez."},
    "proposals.stale_limit.percentile": {"en": "Stale after {n} days: 90% of the decided proposals were decided within {n} days.",
                                         "fr": "Dormant après {n} jours : 90\u202f% des devis décidés l'ont été en {n} jours au plus."},
    "proposals.stale_limit.default": {"en": "Stale after {n} days (no decided proposal to measure the usual delay).",
                                      "fr": "Dormant après {n} jours (aucun devis décidé pour mesurer le délai habituel)."},
    "proposals.stale_limit.chosen": {"en": "Stale after {n} days, as you chose (from the data: {measured} days).",
                                     "fr": "Dormant après {n} jours, selon votre choix (d'après les données : {measured} jours)."},
    "proposals.include_stale": {"en": "Count stale proposals in the forecast", "fr": "Inclure les devis dormants dans la prévision"},
    "proposals.stale.one": {"en": "{n} stale proposal ({value}), pending for more than {days} days.",
                            "fr": "{n} devis dormant ({value}), en attente depuis plus de {days} jours."},
    "proposals.stale.other": {"en": "{n} stale proposals ({value}), pending for more than {days} days.",
                              "fr": "{n} devis dormants ({value}), en attente depuis plus de {days} jours."},
    "proposals.stale_out": {"en": "Left out of the forecast.", "fr": "Hors prévision."},
    "proposals.stale_in": {"en": "Counted in the forecast, under “Stale”.", "fr": "Inclus dans la prévision, sous « Dormants »."},
    "proposals.overdue.one": {"en": "{n} overdue proposal ({value}): its expected decision date has passed; counted under “Overdue”, not in a past month.",
                              "fr": "{n} devis en retard ({value}) : sa date de décision attendue est passée ; compté sous « En retard », jamais dans un mois passé."},
    "proposals.overdue.other": {"en": "{n} overdue proposals ({value}): their expected decision date has passed; counted under “Overdue”, not in a past month.",
                                "fr": "{n} devis en retard ({value}) : leur date de décision attendue est passée ; comptés sous « En retard », jamais dans un mois passé."},
    "proposals.as_of.data": {"en": "How long a proposal has been pending is counted up to {date}, the latest date in the data.",
                             "fr": "L'ancienneté des devis en attente est calculée au {date}, dernière date des données."},
    "proposals.as_of.today": {"en": "How long a proposal has been pending is counted up to today, {date}.",
                              "fr": "L'ancienneté des devis en attente est calculée à aujourd'hui, {date}."},
    "col.expected": {"en": "Expected decision", "fr": "Décision attendue"},
    # --- content -----------------------------------------------------------------------------------
    "content.title": {"en": "Marketing content", "fr": "Contenus marketing"},
    "content.definition": {"en": "How many of the deals worked in the period received a marketing deck, and what the reps shared and posted, with views and likes.",
                           "fr": "Combien d'affaires travaillées sur la période ont reçu une présentation marketing, et ce que les commerciaux ont partagé et publié, avec vues et j'aime."},
    "content.no_deal_links": {"en": "The content export has no deal column: the share of deals with a deck cannot be measured.",
                              "fr": "L'export des contenus n'a pas de colonne affaire : la part des affaires avec présentation ne peut pas être mesurée."},
    "content.usage_by_rep": {"en": "Deals with a deck, by rep", "fr": "Affaires avec présentation, par commercial"},
    "content.mix_by_rep": {"en": "Decks, articles and own posts by rep", "fr": "Présentations, articles et posts par commercial"},
    "content.engagement": {"en": "Views and likes by rep", "fr": "Vues et j'aime par commercial"},
    "content.engagement_months": {"en": "Over the period; month by month in the table below.",
                                  "fr": "Sur la période ; mois par mois dans le tableau ci-dessous."},
    "content.no_usage": {"en": "No deal to measure in the period.", "fr": "Aucune affaire à mesurer sur la période."},
    "content.no_events": {"en": "No content shared or posted in the period.", "fr": "Aucun contenu partagé ou publié sur la période."},
    "content.deals_with_deck": {"en": "{n} of {total} deals", "fr": "{n} affaires sur {total}"},
    # --- channels ------------------------------------------------------------------------------------
    "channels.title": {"en": "Channels", "fr": "Canaux"},
    "channels.definition": {"en": "What each acquisition channel brings (conversion, revenue, revenue per closed deal, acquisition cost) and which ones to focus on.",
                            "fr": "Ce que rapporte chaque canal d'acquisition (transformation, CA, CA par affaire clôturée, coût d'acquisition) et ceux sur lesquels se concentrer."},
    "channels.min_closed": {"en": "Closed deals needed to rank a channel", "fr": "Affaires clôturées nécessaires pour classer un canal"},
    "channels.min_closed_help": {"en": "A channel with fewer closed deals in the period is listed as 'not enough data'.",
                                 "fr": "Un canal avec moins d'affaires clôturées sur la période est classé « pas assez de données »."},
    "channels.rank_by": {"en": "Rank channels by", "fr": "Classer les canaux par"},
    "channels.by_channel": {"en": "By channel", "fr": "Par canal"},
    "channels.ranked": {"en": "Channels ranked", "fr": "Canaux classés"},
    "channels.cac_help": {"en": "{spend} spent on the channels with costs, divided by their won deals.",
                          "fr": "{spend} dépensés sur les canaux avec coûts, divisés par leurs affaires gagnées."},
    "channels.measure": {"en": "Measure", "fr": "Indicateur"},
    "channels.no_costs": {"en": "Upload channel costs (channel, month, spend) to see the acquisition cost per customer.",
                          "fr": "Importez les coûts par canal (canal, mois, dépense) pour voir le coût d'acquisition client."},
    "channels.click_hint": {"en": "Click a bar to see that channel's deals (double-click to clear).",
                            "fr": "Cliquez sur une barre pour voir les affaires de ce canal (double-clic pour effacer)."},
    "channels.drilldown": {"en": "Selected: {channels}", "fr": "Sélection : {channels}"},
    "channels.deals_closed": {"en": "{n} deals closed in the period (largest first).",
                              "fr": "{n} affaires clôturées sur la période (les plus grosses d'abord)."},
    "focus.title": {"en": "Where to focus", "fr": "Où se concentrer"},
    "focus.keep": {"en": "Keep", "fr": "À garder"},
    "focus.reduce": {"en": "Spend less", "fr": "À réduire"},
    "focus.insufficient_data": {"en": "Not enough data", "fr": "Pas assez de données"},
    "focus.none": {"en": "None.", "fr": "Aucun."},
    "focus.decision": {"en": "Recommendation", "fr": "Recommandation"},
    "focus.min_closed_rule": {"en": "Needed to rank: {n}", "fr": "Seuil de classement : {n}"},
    "focus.metric.revenue_per_closed": {"en": "revenue per closed deal", "fr": "CA par affaire clôturée"},
    "focus.metric.win_rate": {"en": "win rate", "fr": "taux de transformation"},
    "focus.metric.revenue": {"en": "revenue", "fr": "chiffre d'affaires"},
    "focus.reason.keep_top": {"en": "Ranked {rank:ord} of {ranked} by {metric} ({value}); brings {share} of the ranked channels' revenue.",
                              "fr": "Classé {rank:ord} sur {ranked} par {metric} ({value}) ; apporte {share} du CA des canaux classés."},
    "focus.reason.keep_fourth": {"en": "Ranked {rank:ord} of {ranked} by {metric} ({value}); kept because the top 3 bring only {top3} of the ranked channels' revenue.",
                                 "fr": "Classé {rank:ord} sur {ranked} par {metric} ({value}) ; gardé car les 3 premiers n'apportent que {top3} du CA des canaux classés."},
    "focus.reason.reduce_rank": {"en": "Ranked {rank:ord} of {ranked} by {metric} ({value}), below the channels kept: spend less on it, without dropping it.",
                                 "fr": "Classé {rank:ord} sur {ranked} par {metric} ({value}), derrière les canaux gardés : y consacrer moins, sans l'abandonner."},
    "focus.reason.insufficient_closed": {"en": "Only {closed} closed deals in the period; {min} are needed to rank it.",
                                         "fr": "Seulement {closed} affaires clôturées sur la période ; il en faut {min} pour le classer."},
    "focus.catch_all": {"en": "Source to map", "fr": "Source à rattacher"},
    "focus.catch_all_title": {"en": "Not ranked: sources to map", "fr": "Non classées : sources à rattacher"},
    "focus.reason.catch_all": {"en": "{closed} closed deals and {revenue} of revenue in the period come from an empty or unrecognised source: not a channel to keep or reduce.",
                               "fr": "{closed} affaires clôturées et {revenue} de CA sur la période viennent d'une source vide ou non reconnue : pas un canal à garder ou à réduire."},
    "focus.map_sources": {"en": "Map these sources to channels on the Data page", "fr": "Rattacher ces sources à des canaux dans la page Données"},
    # --- packages vs revenue ----------------------------------------------------------------------------
    # --- deal ageing (Overview section and report: kpi/metrics/ageing.py) ----------
    "deal_ageing.title": {"en": "Deal ageing", "fr": "Ancienneté des affaires"},
    "deal_ageing.definition": {
        "en": "Open deals by how long they have been open at the period's end; stalled: open longer than the time within which 80% of won deals were won.",
        "fr": "Les affaires en cours selon leur ancienneté à la fin de la période ; en panne : ouvertes depuis plus longtemps que le délai dans lequel 80 % des affaires gagnées l'ont été."},
    "deal_ageing.open_deals": {"en": "Open deals", "fr": "Affaires en cours"},
    "deal_ageing.open_value": {"en": "Open pipeline", "fr": "Pipeline ouvert"},
    "deal_ageing.stall_limit": {"en": "Stall limit", "fr": "Seuil de panne"},
    "deal_ageing.stall_limit_help": {
        "en": "80% of the won deals (any date, every rep and channel) were won within this many days of their creation.",
        "fr": "80 % des affaires gagnées (toutes dates, tous commerciaux et canaux) l'ont été dans ce nombre de jours après leur création."},
    "deal_ageing.stalled": {"en": "Stalled", "fr": "En panne"},
    "deal_ageing.stalled_value": {"en": "Stalled value", "fr": "Montant en panne"},
    "deal_ageing.age_bands": {"en": "Age bands", "fr": "Tranches d'ancienneté"},
    "deal_ageing.by_stage": {"en": "By stage", "fr": "Par étape"},
    "deal_ageing.stalled_deals": {"en": "Stalled deals", "fr": "Affaires en panne"},
    "deal_ageing.deal_name": {"en": "Deal", "fr": "Affaire"},
    "deal_ageing.owner": {"en": "Rep", "fr": "Commercial"},
    "deal_ageing.stage": {"en": "Stage", "fr": "Étape"},
    "deal_ageing.amount": {"en": "Amount", "fr": "Montant"},
    "deal_ageing.age_days": {"en": "Age", "fr": "Ancienneté"},
    "deal_ageing.band": {"en": "{first}–{last} days", "fr": "{first} à {last} jours"},
    "deal_ageing.band_over": {"en": "Over {n} days", "fr": "Plus de {n} jours"},
    "deal_ageing.no_stage": {"en": "(no stage)", "fr": "(sans étape)"},
    "deal_ageing.chart": {"en": "Open deals by age and stage", "fr": "Affaires en cours par ancienneté et étape"},
    "deal_ageing.no_limit": {"en": "No won deal with a known cycle: no stall limit yet.",
                             "fr": "Aucune affaire gagnée au cycle connu : pas encore de seuil de panne."},
    "deal_ageing.stalled_list": {"en": "Stalled deals, oldest first", "fr": "Affaires en panne, les plus anciennes d'abord"},
    # --- quota attainment (page section and report: kpi/metrics/quotas.py) -------
    "quota_attainment.title": {"en": "Quota attainment", "fr": "Atteinte des objectifs"},
    "quota_attainment.definition": {
        "en": "Revenue each rep won against their quota, on the days of the quota's period inside the selected period.",
        "fr": "Le CA gagné par chaque commercial face à son objectif, sur les jours de la période de l'objectif compris dans la période choisie."},
    "quota_attainment.team_attainment": {"en": "Team attainment", "fr": "Atteinte de l'équipe"},
    "quota_attainment.attainment": {"en": "Attainment", "fr": "Atteinte"},
    "quota_attainment.target": {"en": "Quota", "fr": "Objectif"},
    "quota_attainment.won_revenue": {"en": "Won revenue", "fr": "CA gagné"},
    "quota_attainment.reps": {"en": "Reps with a quota", "fr": "Commerciaux avec un objectif"},
    "quota_attainment.period_start": {"en": "Period start", "fr": "Début de période"},
    "quota_attainment.period_end": {"en": "Period end", "fr": "Fin de période"},
    "quota_attainment.by_rep": {"en": "Attainment by rep", "fr": "Atteinte par commercial"},
    "quota_attainment.full": {"en": "Quota met ({value})", "fr": "Objectif atteint ({value})"},
    "quota_attainment.no_quota": {"en": "No quota covers the selected period.",
                                  "fr": "Aucun objectif ne couvre la période choisie."},
    "comp.title": {"en": "Packages vs revenue", "fr": "Packages vs chiffre d'affaires"},
    "comp.definition": {"en": "Revenue each rep won in the period against what their package cost over the same days, compared with a target multiple.",
                        "fr": "CA gagné par chaque commercial sur la période face au coût de son package sur les mêmes jours, comparé à un multiple cible."},
    "comp.target": {"en": "Target multiple (revenue / package)", "fr": "Multiple cible (CA / package)"},
    "comp.target_help": {"en": "A rep meets the target when their revenue is at least this many times their package.",
                         "fr": "Un commercial atteint la cible quand son CA vaut au moins ce multiple de son package."},
    "comp.team_ratio": {"en": "Team ratio", "fr": "Ratio de l'équipe"},
    "comp.vs_target": {"en": "vs target {value}", "fr": "vs cible {value}"},
    "comp.revenue": {"en": "Won revenue of these reps", "fr": "CA de ces commerciaux"},
    "comp.revenue_help": {"en": "Only the reps with package data count in the ratios.",
                          "fr": "Seuls les commerciaux ayant un package comptent dans les ratios."},
    "comp.total_package": {"en": "Packages in the period", "fr": "Packages sur la période"},
    "comp.reps_on_target": {"en": "Reps on target", "fr": "Commerciaux à la cible"},
    "comp.n_of_m": {"en": "{n} of {m}", "fr": "{n} sur {m}"},
    "comp.ratio_by_rep": {"en": "Revenue / package by rep", "fr": "CA / package par commercial"},
    "comp.target_rule": {"en": "Target {value}", "fr": "Cible {value}"},
    "comp.meets_target": {"en": "On target", "fr": "À la cible"},
    "comp.meets_yes": {"en": "Yes", "fr": "Oui"},
    "comp.meets_no": {"en": "No", "fr": "Non"},
    "comp.below_target": {"en": "Below target", "fr": "Sous la cible"},
    "comp.no_ratio": {"en": "No rep has a package in the period.", "fr": "Aucun commercial n'a de package sur la période."},
    "comp.without_package": {"en": "Reps with deals but no package data (not in the ratios): {reps}",
                             "fr": "Commerciaux avec des affaires mais sans package (hors ratios) : {reps}"},
    "comp.click_hint": {"en": "Click a bar to see the deals that rep won (double-click to clear).",
                        "fr": "Cliquez sur une barre pour voir les affaires gagnées par ce commercial (double-clic pour effacer)."},
    "comp.drilldown": {"en": "Selected: {reps}", "fr": "Sélection : {reps}"},
    "comp.deals_won": {"en": "{n} deals won in the period (largest first).",
                       "fr": "{n} affaires gagnées sur la période (les plus grosses d'abord)."},
    # --- sharing (login, roles, publish; kpi/ui/auth.py, kpi/ui/publish.py) ----------
    "auth.refused": {"en": "The app is not available right now: its login configuration was refused. The administrator finds the reason in the server log.",
                     "fr": "L'application n'est pas disponible pour le moment : sa configuration de connexion a été refusée. L'administrateur en trouve la raison dans le journal du serveur."},
    "auth.form": {"en": "Login", "fr": "Connexion"},
    "auth.username": {"en": "Username", "fr": "Identifiant"},
    "auth.password": {"en": "Password", "fr": "Mot de passe"},
    "auth.login": {"en": "Login", "fr": "Se connecter"},
    "auth.wrong": {"en": "Username or password is incorrect.",
                   "fr": "Identifiant ou mot de passe incorrect."},
    "auth.locked": {"en": "Too many failed attempts for this username: try again in {minutes} min.",
                    "fr": "Trop d'échecs pour cet identifiant : réessayez dans {minutes} min."},
    "auth.not_authorised": {"en": "This account can no longer use the app: log in with another one.",
                            "fr": "Ce compte n'a plus accès à l'application : connectez-vous avec un autre."},
    "auth.welcome": {"en": "Welcome, {name}. Loading…", "fr": "Bienvenue, {name}. Chargement…"},
    "auth.signed_in_as": {"en": "Signed in as {name} ({role})", "fr": "Connecté : {name} ({role})"},
    "auth.role.manager": {"en": "manager", "fr": "manager"},
    "auth.role.viewer": {"en": "viewer", "fr": "lecteur"},
    "auth.role_help.manager": {"en": "Managers upload data and publish snapshots for viewers.",
                               "fr": "Les managers importent les données et publient des instantanés pour les lecteurs."},
    "auth.role_help.viewer": {"en": "Viewers read the latest published snapshot (read-only).",
                              "fr": "Les lecteurs consultent le dernier instantané publié (lecture seule)."},
    "auth.logout": {"en": "Log out", "fr": "Se déconnecter"},
    "auth.local_mode": {"en": "Local mode: no login, your data is kept for this browser only.",
                        "fr": "Mode local : sans connexion, vos données sont conservées pour ce navigateur seulement."},
    "auth.local_mode_help": {
        "en": "No login is set up, so anyone who opens this address uses the app. The sharing guide that comes with the app explains how to host it for leadership.",
        "fr": "Aucune connexion n'est configurée : quiconque ouvre cette adresse utilise l'application. Le guide de partage fourni avec l'application explique comment l'héberger pour la direction."},
    "share.nothing_published": {"en": "Nothing has been published yet: the KPIs appear here once your sales manager publishes them.",
                                "fr": "Rien n'a encore été publié : les KPI apparaîtront ici dès que votre responsable commercial les publiera."},
    "share.open_failed": {"en": "The published KPIs cannot be opened right now; reload the page in a moment.",
                          "fr": "Les KPI publiés ne peuvent pas être ouverts pour l'instant ; rechargez la page dans un moment."},
    "share.viewing": {"en": "Published by {name}, {when}", "fr": "Publié par {name}, {when}"},
    "share.viewing_help": {"en": "You read the latest snapshot a manager published (read-only). A newer one appears on your next page load.",
                           "fr": "Vous consultez le dernier instantané publié par un manager (lecture seule). Un plus récent apparaît au prochain chargement de page."},
    "nav.publish": {"en": "Publish", "fr": "Publier"},
    "publish.title": {"en": "Publish for leadership", "fr": "Publier pour la direction"},
    "publish.intro": {"en": "Viewers read the latest snapshot you publish, read-only. Your uploads stay in your session until you publish them.",
                      "fr": "Les lecteurs consultent le dernier instantané publié, en lecture seule. Vos imports restent dans votre session tant que vous ne les publiez pas."},
    "publish.managers_only": {"en": "Only managers can publish.", "fr": "Seuls les managers peuvent publier."},
    "publish.will_publish": {"en": "This session's data: {tables}.", "fr": "Données de cette session : {tables}."},
    "publish.empty": {"en": "Nothing to publish yet: upload your exports on the Data page.",
                      "fr": "Rien à publier pour l'instant : importez vos exports dans la page Données."},
    "publish.demo_warning": {"en": "This session holds the demo data: publishing it shows demo figures to leadership.",
                             "fr": "Cette session contient les données de démonstration : les publier montre des chiffres fictifs à la direction."},
    "publish.no_deals": {"en": "No deals table: most KPI pages will be empty for viewers.",
                         "fr": "Pas de table des affaires : la plupart des pages KPI seront vides pour les lecteurs."},
    "publish.button": {"en": "Publish this data", "fr": "Publier ces données"},
    "publish.running": {"en": "Publishing…", "fr": "Publication…"},
    "publish.failed": {"en": "Publishing failed: viewers still see the previous snapshot.",
                       "fr": "La publication a échoué : les lecteurs voient toujours l'instantané précédent."},
    "publish.conflict": {"en": "Not published: {name} published the snapshot of {when} while this page was open. Check the list below, then publish again to replace it.",
                         "fr": "Non publié : {name} a publié l'instantané du {when} pendant que cette page était ouverte. Vérifiez la liste ci-dessous, puis publiez à nouveau pour le remplacer."},
    "publish.conflict_gone": {"en": "Not published: the published snapshots changed while this page was open. Check the list below, then publish again.",
                              "fr": "Non publié : les instantanés publiés ont changé pendant que cette page était ouverte. Vérifiez la liste ci-dessous, puis publiez à nouveau."},
    "publish.done": {"en": "Published ({when}): viewers see it on their next page load.",
                     "fr": "Publié ({when}) : les lecteurs le verront au prochain chargement de page."},
    "publish.history": {"en": "Last snapshots", "fr": "Derniers instantanés"},
    "publish.history_help": {"en": "The last {n} snapshots are kept; restore one to make it what viewers see.",
                             "fr": "Les {n} derniers instantanés sont conservés ; restaurez-en un pour le montrer aux lecteurs."},
    "publish.none_yet": {"en": "Nothing published yet.", "fr": "Rien n'a encore été publié."},
    "publish.demo": {"en": "demo data", "fr": "démonstration"},
    "publish.rows": {"en": "{n} rows", "fr": "{n} lignes"},
    "publish.current": {"en": "Viewers see this", "fr": "Vu par les lecteurs"},
    "publish.restore": {"en": "Restore", "fr": "Restaurer"},
    "publish.restore_failed": {"en": "That snapshot can no longer be restored.",
                               "fr": "Cet instantané ne peut plus être restauré."},
    "publish.restored": {"en": "Snapshot of {when} restored: viewers see it on their next page load.",
                         "fr": "Instantané du {when} restauré : les lecteurs le verront au prochain chargement de page."},
}

# The importer's messages (codes rendered by kpi.messages) are kept in their own module.
TEXTS.update(MESSAGES)

class _Formatter(string.Formatter):
    """str.format plus `{name:ord}`: a rank written as the language writes it (1st, 1er)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "ord":
            return format_ordinal(int(re.sub(r"\D", "", str(value))), self.lang)
        return super().format_field(value, format_spec)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled.

    A template writes `{rank:ord}` where French needs 1er and English 1st:
    the caller passes the number, the language decides how a rank reads.
    """
    entry = TEXTS[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return _Formatter(lang).format(text, **values) if values else text


# --- formats: CLDR's, through Babel --------------------------------------------------
#
# Symbols, patterns, month and day names, plural and ordinal rules all come
# from Babel's locale data. Where the product deliberately departs from CLDR
# (its French typography), the departure is declared here, once:
PERCENT_SPACE = {"fr": NARROW_NBSP}  # '25,3 %' with a thin space (CLDR: a full one)
FIRST_DAY_ORDINAL = {"fr"}  # '1er mars 2024': the first of the month is an ordinal
# Ordinal suffixes per CLDR ordinal category (Babel knows the categories, not the words).
ORDINAL_SUFFIXES = {"en": {"one": "st", "two": "nd", "few": "rd", "other": "th"},
                    "fr": {"one": "er", "other": "e"}}


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@cache
def _with_decimals(pattern: str, decimals: int) -> str:
    """A CLDR number pattern with exactly `decimals` fraction digits ('#,##0.00' -> '#,##0.0')."""
    return re.sub(r"0(\.0+)?", "0" + ("." + "0" * decimals if decimals else ""), pattern)


# Patterns are parsed once (a table of a few hundred rows formats thousands of cells).
_parsed = cache(numbers.parse_pattern)


def t_count(key: str, n: int, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """`key.<category>` for `n` (CLDR plural rules: French 0 and 1 are singular), `{n}` formatted.

    A category the table does not write (French 'many', for millions) reads as `other`.
    """
    category = _locale(lang).plural_form(abs(n))
    if f"{key}.{category}" not in TEXTS:
        category = "other"
    return t(f"{key}.{category}", lang, n=format_number(n, lang), **values)


def format_ordinal(n: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """1 -> '1st', '22nd', '13th' (en); '1er', '2e' (fr)."""
    lang = _language(lang)
    return f"{format_number(n, lang)}{ORDINAL_SUFFIXES[lang][_locale(lang).ordinal_form(n)]}"


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """12345.5 -> '12,345.5' (en) or '12 345,5' (fr, narrow no-break space)."""
    if _is_missing(value):
        return t("report.na", lang)
    return _parsed(_with_decimals("#,##0", decimals)).apply(value, _locale(lang))


@cache
def _money_pattern(lang: str, currency: str, decimals: int) -> str:
    """The language's currency pattern with `decimals` digits and CLDR's currency spacing.

    Babel leaves the spacing out: a symbol ending in a letter gets a no-break
    space before the digits ('CHF 12,345'), '$' or '€' does not ('CA$12,345').
    """
    pattern = _with_decimals(_locale(lang).currency_formats["standard"].pattern, decimals)
    symbol = numbers.get_currency_symbol(currency, locale=_locale(lang))
    if _is_letter(symbol[-1]):
        pattern = re.sub(r"¤(?=[#0])", "¤" + NBSP, pattern)
    if _is_letter(symbol[0]):
        pattern = re.sub(r"(?<=0)¤", NBSP + "¤", pattern)
    return pattern


def _is_letter(char: str) -> bool:
    """CLDR's currencyMatch: neither a symbol nor a separator."""
    return unicodedata.category(char)[0] not in "SZ"


def format_money(value: float | None, lang: str = DEFAULT_LANGUAGE,
                 currency: str = DEFAULT_CURRENCY, decimals: int = 0) -> str:
    """'€12,345', 'CA$12,345' (en) or '12 345 €', '12 345 $CA' (fr), for any ISO code.

    Babel carries each currency's symbol and placement per language (CLDR: CA$
    in English, $CA in French), so a CAD amount never reads as dollars or euros.
    """
    if _is_missing(value):
        return t("report.na", lang)
    lang = _language(lang)
    return _parsed(_money_pattern(lang, currency, decimals)).apply(
        value, _locale(lang), currency=currency, currency_digits=False)


def currency_affixes(lang: str, currency: str) -> tuple[str, str]:
    """What goes before and after a number in `currency`: ('CA$', '') (en), ('', ' $CA') (fr)."""
    before, _, after = format_money(1, lang, currency).partition("1")
    return before, after


def decimal_mark(lang: str) -> str:
    return _locale(lang).number_symbols["latn"]["decimal"]


@cache
def _percent_pattern(lang: str, decimals: int) -> str:
    pattern = _with_decimals(_locale(lang).percent_formats[None].pattern, decimals)
    return re.sub(r"\s(?=%)", PERCENT_SPACE[lang], pattern) if lang in PERCENT_SPACE else pattern


def format_percent(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """0.253 -> '25.3%' (en) or '25,3 %' (fr, narrow no-break space before %)."""
    if _is_missing(value):
        return t("report.na", lang)
    lang = _language(lang)
    return _parsed(_percent_pattern(lang, decimals)).apply(value, _locale(lang))


def format_multiple(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """3.2 -> '3.2×' (en) or '3,2×' (fr)."""
    if _is_missing(value):
        return t("report.na", lang)
    return f"{format_number(value, lang, 1)}×"


def format_date(value: date | str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """'Mar 25, 2024' (en) or '25 mars 2024', '1er mars 2024' (fr): CLDR's medium date."""
    if value is None:
        return t("report.na", lang)
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    lang = _language(lang)
    pattern = _locale(lang).date_formats["medium"].pattern
    if value.day == 1 and lang in FIRST_DAY_ORDINAL:
        suffix = ORDINAL_SUFFIXES[lang][_locale(lang).ordinal_form(1)]
        pattern = re.sub(r"(?<!d)d(?!d)", f"d'{suffix}'", pattern)
    return dates.format_date(value, format=pattern, locale=_locale(lang))


def format_month(month: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """'Mar 2024' (en) or 'mars 2024' (fr): CLDR's year-and-short-month."""
    return dates.format_skeleton("yMMM", month, locale=_locale(lang))


def month_names(lang: str, width: str = "abbreviated") -> list[str]:
    """January first: 'Jan'... (en), 'janv.'... (fr); `width` 'wide' for 'January'."""
    names = _locale(lang).months["format"][width]
    return [names[m] for m in range(1, 13)]


# --- Vega's locale (the axes of kpi.charts) ------------------------------------------


def vega_locale(lang: str, currency: str = DEFAULT_CURRENCY) -> dict[str, Any]:
    """d3's number and time locale from the same CLDR data, so axis ticks read like the page."""
    locale = _locale(lang)
    symbols = locale.number_symbols["latn"]
    days = [locale.days["format"][width] for width in ("wide", "abbreviated")]
    periods = locale.day_periods["format"]["abbreviated"]
    return {
        "number": {
            "decimal": symbols["decimal"],
            "thousands": symbols["group"],
            "grouping": [3],
            "currency": list(currency_affixes(lang, currency)),
            "percent": format_percent(1, lang, 0).partition("100")[2],
        },
        "time": {
            # CLDR writes {1} for the date, {0} for the time
            "dateTime": _d3_pattern(locale.datetime_formats["medium"]).format("%X", "%x"),
            "date": _d3_pattern(locale.date_formats["short"].pattern),
            "time": _d3_pattern(locale.time_formats["medium"].pattern),
            "periods": [periods["am"], periods["pm"]],
            # d3 starts the week on Sunday (Babel's 6), then Monday (0)...
            "days": [days[0][(d + 6) % 7] for d in range(7)],
            "shortDays": [days[1][(d + 6) % 7] for d in range(7)],
            "months": month_names(lang, "wide"),
            "shortMonths": month_names(lang),
        },
    }


# CLDR date fields (letter, count) as d3 time format directives.
_D3_FIELDS = {("y", 1): "%Y", ("y", 2): "%y", ("y", 4): "%Y", ("M", 1): "%-m", ("M", 2): "%m",
              ("M", 3): "%b", ("M", 4): "%B", ("d", 1): "%-d", ("d", 2): "%d",
              ("E", 1): "%a", ("E", 2): "%a", ("E", 3): "%a", ("E", 4): "%A",
              ("H", 1): "%-H", ("H", 2): "%H", ("h", 1): "%-I", ("h", 2): "%I",
              ("m", 2): "%M", ("s", 2): "%S", ("a", 1): "%p"}


def _d3_pattern(pattern: str) -> str:
    """A CLDR date pattern ('MMM d, y') as a d3 format ('%b %-d, %Y')."""
    out = []
    for kind, token in dates.tokenize_pattern(pattern):
        out.append(_D3_FIELDS[token] if kind == "field" else token.replace("%", "%%"))
    return "".join(out)
