"""Every user-facing string, in English and French, and number/date formats per language.

One table (`TEXTS`) so a missing translation is a test failure, not a page
showing English in the middle of French. No Streamlit here: the command line
uses the same strings and formats as the app.
"""

from __future__ import annotations

import math
from datetime import date

LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = "en"

NARROW_NBSP = "\u202f"  # French thousands separator
NBSP = "\u00a0"  # French space before a unit or percent sign

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}

MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."),
}

TEXTS: dict[str, dict[str, str]] = {
    # --- command line report -------------------------------------------------
    "report.title": {"en": "Sales KPIs", "fr": "KPI commerciaux"},
    "report.period": {"en": "Period: {start} to {end}", "fr": "Période : du {start} au {end}"},
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
    "filters.copy_link": {"en": "Copy link to this view", "fr": "Copier le lien de cette vue"},
    "filters.copy_link_help": {
        "en": "This address opens this page with these filters (use the copy button).",
        "fr": "Cette adresse ouvre cette page avec ces filtres (bouton copier)."},
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
    "channel.linkedin": {"en": "LinkedIn", "fr": "LinkedIn"},
    "channel.facebook": {"en": "Facebook", "fr": "Facebook"},
    "channel.twitter": {"en": "X (Twitter)", "fr": "X (Twitter)"},
    "channel.viadeo": {"en": "Viadeo", "fr": "Viadeo"},
    "channel.other_social": {"en": "Other social", "fr": "Autres réseaux sociaux"},
    "channel.cold_email": {"en": "Cold email", "fr": "E-mail à froid"},
    "channel.cold_call": {"en": "Cold call", "fr": "Appel à froid"},
    "channel.event": {"en": "Events", "fr": "Événements"},
    "channel.website_organic": {"en": "Website (organic)", "fr": "Site web (naturel)"},
    "channel.website_paid": {"en": "Paid ads", "fr": "Publicité payante"},
    "channel.word_of_mouth": {"en": "Word of mouth", "fr": "Bouche-à-oreille"},
    "channel.referral": {"en": "Referral", "fr": "Recommandation"},
    "channel.other": {"en": "Other", "fr": "Autre"},
    "channel.unknown": {"en": "Unknown", "fr": "Inconnu"},
    "status.open": {"en": "Open", "fr": "En cours"},
    "status.won": {"en": "Won", "fr": "Gagnée"},
    "status.lost": {"en": "Lost", "fr": "Perdue"},
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
    # --- KPI pages: shared frame ----------------------------------------------
    "page.docs_link": {"en": "How it is computed", "fr": "Mode de calcul"},
    "page.no_rows": {"en": "Nothing in this period for the chosen reps and channels: widen the period or clear a filter in the sidebar.",
                     "fr": "Rien sur cette période pour les commerciaux et canaux choisis : élargissez la période ou retirez un filtre dans la barre latérale."},
    "page.period": {"en": "{start} – {end}", "fr": "du {start} au {end}"},
    "page.rows_behind": {"en": "Rows behind the chart ({n})", "fr": "Données du graphique ({n} lignes)"},
    "page.download_csv": {"en": "Download CSV", "fr": "Télécharger en CSV"},
    "empty.title": {"en": "No {table} loaded yet", "fr": "Aucune donnée « {table} » chargée"},
    "empty.columns": {"en": "Columns needed: {columns}. CRM headers (HubSpot, Salesforce, Pipedrive, Zoho, French exports) are recognised.",
                      "fr": "Colonnes nécessaires : {columns}. Les en-têtes des CRM (HubSpot, Salesforce, Pipedrive, Zoho, exports en français) sont reconnus."},
    "empty.deals": {"en": "Upload a deals (opportunities) export from your CRM on the Data page.",
                    "fr": "Importez un export des affaires (opportunités) de votre CRM dans la page Données."},
    "empty.leads": {"en": "Upload a leads or contacts export on the Data page.",
                    "fr": "Importez un export des pistes ou contacts dans la page Données."},
    "empty.proposals": {"en": "Upload a proposals (quotes) export on the Data page, or a deals export with the date each proposal was sent (proposal_sent_at).",
                        "fr": "Importez un export des devis dans la page Données, ou un export des affaires avec la date d'envoi de chaque proposition (proposal_sent_at)."},
    "empty.content": {"en": "Upload the marketing content activity (decks and articles shared, reps' own posts) on the Data page.",
                      "fr": "Importez l'activité de contenus marketing (présentations et articles partagés, posts des commerciaux) dans la page Données."},
    "empty.compensation": {"en": "Upload the reps' packages (fixed + variable + bonus), per month or per year, on the Data page.",
                           "fr": "Importez les packages des commerciaux (fixe + variable + primes), par mois ou par an, dans la page Données."},
    "empty.channel_costs": {"en": "Upload what was spent per channel and month on the Data page.",
                            "fr": "Importez les dépenses par canal et par mois dans la page Données."},
    "unit.days": {"en": "{n} days", "fr": "{n} jours"},
    "unit.points": {"en": "{n} pts", "fr": "{n} pts"},
    # --- KPI names (cards, axes, tables) -----------------------------------------
    "kpi.win_rate": {"en": "Win rate", "fr": "Taux de transformation"},
    "kpi.won_revenue": {"en": "Won revenue", "fr": "CA gagné"},
    "kpi.avg_deal_value": {"en": "Average deal value", "fr": "Panier moyen"},
    "kpi.avg_cycle_days": {"en": "Sales cycle (average)", "fr": "Cycle de vente (moyen)"},
    "kpi.median_cycle_days": {"en": "Sales cycle (median)", "fr": "Cycle de vente (médian)"},
    "kpi.closed": {"en": "Closed deals", "fr": "Affaires conclues"},
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
    "kpi.revenue_per_closed": {"en": "Revenue per closed deal", "fr": "CA par affaire conclue"},
    "kpi.spend": {"en": "Spend", "fr": "Dépense"},
    "kpi.cac": {"en": "Acquisition cost per customer (CAC)", "fr": "Coût d'acquisition client (CAC)"},
    "kpi.ratio": {"en": "Revenue / package", "fr": "CA / package"},
    "kpi.package": {"en": "Package", "fr": "Package"},
    # --- help bubbles --------------------------------------------------------------
    "help.win_rate": {"en": "{won} won out of {closed} deals closed (won or lost) in the period.",
                      "fr": "{won} gagnées sur {closed} affaires conclues (gagnées ou perdues) sur la période."},
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
    "help.usage_rate": {"en": "{n} of the {total} deals created in the period received a marketing deck.",
                        "fr": "{n} des {total} affaires créées sur la période ont reçu une présentation marketing."},
    "help.team_ratio": {"en": "Revenue won by the reps with a package, divided by their packages.",
                        "fr": "CA gagné par les commerciaux ayant un package, divisé par leurs packages."},
    "help.package": {"en": "Each month's package × the share of that month's days inside the period.",
                     "fr": "Package de chaque mois × la part des jours de ce mois comprise dans la période."},
    # --- chart labels ------------------------------------------------------------------
    "chart.month": {"en": "Month", "fr": "Mois"},
    "chart.month_closed": {"en": "Month closed", "fr": "Mois de signature"},
    "chart.month_created": {"en": "Month created", "fr": "Mois de création"},
    "chart.month_sent": {"en": "Month sent", "fr": "Mois d'envoi"},
    "chart.month_expected": {"en": "Expected decision month", "fr": "Mois de décision attendu"},
    "chart.deals": {"en": "Deals", "fr": "Affaires"},
    "chart.won_of_closed": {"en": "{won} won of {closed} closed", "fr": "{won} gagnées sur {closed} conclues"},
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
    "col.closed_at": {"en": "Closed", "fr": "Conclue le"},
    # --- overview --------------------------------------------------------------------------
    "overview.title": {"en": "Overview", "fr": "Vue d'ensemble"},
    "overview.definition": {"en": "Win rate, average deal value and sales cycle over the deals closed in the period, compared with the period of equal length just before.",
                            "fr": "Taux de transformation, valeur moyenne et cycle de vente des affaires conclues sur la période, comparés à la période de même durée qui précède."},
    "overview.compared": {"en": "{period}, compared with {previous}.", "fr": "Période {period}, comparée à la période {previous}."},
    "overview.no_previous": {"en": "{period}. No deal closed in the period of equal length just before: nothing to compare with.",
                             "fr": "Période {period}. Aucune affaire conclue sur la période de même durée qui précède : pas de comparaison."},
    "overview.revenue_by_month": {"en": "Won revenue by month", "fr": "CA gagné par mois"},
    "overview.win_rate_by_month": {"en": "Win rate by month", "fr": "Taux de transformation par mois"},
    "overview.open_by_rep": {"en": "Open pipeline by rep", "fr": "Pipeline ouvert par commercial"},
    "overview.no_open": {"en": "No open deal.", "fr": "Aucune affaire en cours."},
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
    # --- content -----------------------------------------------------------------------------------
    "content.title": {"en": "Marketing content", "fr": "Contenus marketing"},
    "content.definition": {"en": "How many of the deals worked in the period received a marketing deck, and what the reps shared and posted, with views and likes.",
                           "fr": "Combien d'affaires travaillées sur la période ont reçu une présentation marketing, et ce que les commerciaux ont partagé et publié, avec vues et j'aime."},
    "content.no_deal_links": {"en": "The content export has no deal column: the share of deals with a deck cannot be measured.",
                              "fr": "L'export des contenus n'a pas de colonne affaire : la part des affaires avec présentation ne peut pas être mesurée."},
    "content.usage_by_rep": {"en": "Deals with a deck, by rep", "fr": "Affaires avec présentation, par commercial"},
    "content.mix_by_rep": {"en": "Decks, articles and own posts by rep", "fr": "Présentations, articles et posts par commercial"},
    "content.engagement": {"en": "Views and likes by rep over time", "fr": "Vues et j'aime par commercial dans le temps"},
    "content.top_reps": {"en": "The {n} most viewed reps are shown.", "fr": "Les {n} commerciaux les plus vus sont affichés."},
    "content.no_usage": {"en": "No deal to measure in the period.", "fr": "Aucune affaire à mesurer sur la période."},
    "content.no_events": {"en": "No content shared or posted in the period.", "fr": "Aucun contenu partagé ou publié sur la période."},
    "content.deals_with_deck": {"en": "{n} of {total} deals", "fr": "{n} affaires sur {total}"},
    # --- channels ------------------------------------------------------------------------------------
    "channels.title": {"en": "Channels", "fr": "Canaux"},
    "channels.definition": {"en": "What each acquisition channel brings (conversion, revenue, revenue per closed deal, acquisition cost) and which ones to focus on.",
                            "fr": "Ce que rapporte chaque canal d'acquisition (transformation, CA, CA par affaire conclue, coût d'acquisition) et ceux sur lesquels se concentrer."},
    "channels.min_closed": {"en": "Closed deals needed to rank a channel", "fr": "Affaires conclues nécessaires pour classer un canal"},
    "channels.min_closed_help": {"en": "A channel with fewer closed deals in the period is listed as 'not enough data'.",
                                 "fr": "Un canal avec moins d'affaires conclues sur la période est classé « pas assez de données »."},
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
                              "fr": "{n} affaires conclues sur la période (les plus grosses d'abord)."},
    "focus.title": {"en": "Where to focus", "fr": "Où se concentrer"},
    "focus.keep": {"en": "Keep", "fr": "À garder"},
    "focus.reduce": {"en": "Spend less", "fr": "À réduire"},
    "focus.insufficient_data": {"en": "Not enough data", "fr": "Pas assez de données"},
    "focus.none": {"en": "None.", "fr": "Aucun."},
    "focus.decision": {"en": "Recommendation", "fr": "Recommandation"},
    "focus.min_closed_rule": {"en": "Needed to rank: {n}", "fr": "Seuil de classement : {n}"},
    "focus.metric.revenue_per_closed": {"en": "revenue per closed deal", "fr": "CA par affaire conclue"},
    "focus.metric.win_rate": {"en": "win rate", "fr": "taux de transformation"},
    "focus.metric.revenue": {"en": "revenue", "fr": "chiffre d'affaires"},
    "focus.reason.keep_top": {"en": "Ranked {rank} of {ranked} by {metric} ({value}); brings {share} of the ranked channels' revenue.",
                              "fr": "Classé {rank} sur {ranked} par {metric} ({value}) ; apporte {share} du CA des canaux classés."},
    "focus.reason.keep_fourth": {"en": "Ranked {rank} of {ranked} by {metric} ({value}); kept because the top 3 bring only {top3} of the ranked channels' revenue.",
                                 "fr": "Classé {rank} sur {ranked} par {metric} ({value}) ; gardé car les 3 premiers n'apportent que {top3} du CA des canaux classés."},
    "focus.reason.reduce_rank": {"en": "Ranked {rank} of {ranked} by {metric} ({value}), below the channels kept: spend less on it, without dropping it.",
                                 "fr": "Classé {rank} sur {ranked} par {metric} ({value}), derrière les canaux gardés : y consacrer moins, sans l'abandonner."},
    "focus.reason.insufficient_closed": {"en": "Only {closed} closed deals in the period; {min} are needed to rank it.",
                                         "fr": "Seulement {closed} affaires conclues sur la période ; il en faut {min} pour le classer."},
    # --- packages vs revenue ----------------------------------------------------------------------------
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
    "comp.no_ratio": {"en": "No rep has a package in the period.", "fr": "Aucun commercial n'a de package sur la période."},
    "comp.without_package": {"en": "Reps with deals but no package data (not in the ratios): {reps}",
                             "fr": "Commerciaux avec des affaires mais sans package (hors ratios) : {reps}"},
    "comp.click_hint": {"en": "Click a bar to see the deals that rep won (double-click to clear).",
                        "fr": "Cliquez sur une barre pour voir les affaires gagnées par ce commercial (double-clic pour effacer)."},
    "comp.drilldown": {"en": "Selected: {reps}", "fr": "Sélection : {reps}"},
    "comp.deals_won": {"en": "{n} deals won in the period (largest first).",
                       "fr": "{n} affaires gagnées sur la période (les plus grosses d'abord)."},
    # --- sharing (login, roles, publish; kpi/ui/auth.py, kpi/ui/publish.py) ----------
    "auth.refused": {"en": "The app will not start. {reason}",
                     "fr": "L'application ne démarre pas : sa configuration de connexion est refusée. {reason}"},
    "auth.form": {"en": "Login", "fr": "Connexion"},
    "auth.username": {"en": "Username", "fr": "Identifiant"},
    "auth.password": {"en": "Password", "fr": "Mot de passe"},
    "auth.login": {"en": "Login", "fr": "Se connecter"},
    "auth.captcha": {"en": "Captcha", "fr": "Captcha"},
    "auth.wrong": {"en": "Username or password is incorrect.",
                   "fr": "Identifiant ou mot de passe incorrect."},
    "auth.locked": {"en": "Too many failed attempts ({n}) for this user: login is blocked in this browser session.",
                    "fr": "Trop d'échecs ({n}) pour cet utilisateur : la connexion est bloquée dans cette session du navigateur."},
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
    "auth.local_mode": {"en": "Local mode: no login, your data stays in this browser session.",
                        "fr": "Mode local : sans connexion, vos données restent dans cette session du navigateur."},
    "auth.local_mode_help": {
        "en": "No login configuration was found (KPI_AUTH_CONFIG or [authenticator] in the secrets), so anyone who opens this address uses the app. docs/sharing.md explains how to host it for leadership.",
        "fr": "Aucune configuration de connexion trouvée (KPI_AUTH_CONFIG ou [authenticator] dans les secrets) : quiconque ouvre cette adresse utilise l'application. docs/sharing.md explique comment l'héberger pour la direction."},
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


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled."""
    entry = TEXTS[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def t_count(key: str, n: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """`key.one` or `key.other` for `n`, with `{n}` formatted for the language.

    French uses the singular for 0 and 1 ("0 ligne chargée"), English for 1 only.
    """
    singular = n in (0, 1) if lang == "fr" else n == 1
    return t(f"{key}.{'one' if singular else 'other'}", lang, n=format_number(n, lang))


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """12345.5 -> '12,345.5' (en) or '12 345,5' (fr, narrow no-break space)."""
    if _is_missing(value):
        return t("report.na", lang)
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NARROW_NBSP).replace(".", ",")
    return text


def format_money(value: float | None, lang: str = DEFAULT_LANGUAGE, currency: str = "EUR",
                 decimals: int = 0) -> str:
    """'€12,345' (en) or '12 345 €' (fr)."""
    if _is_missing(value):
        return t("report.na", lang)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    number = format_number(abs(value), lang, decimals)
    sign = "-" if value < 0 else ""
    if lang == "fr":
        return f"{sign}{number}{NBSP}{symbol}"
    return f"{sign}{symbol}{number}"


def format_percent(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """0.253 -> '25.3%' (en) or '25,3 %' (fr)."""
    if _is_missing(value):
        return t("report.na", lang)
    number = format_number(value * 100, lang, decimals)
    return f"{number}{NBSP}%" if lang == "fr" else f"{number}%"


def format_multiple(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """3.2 -> '3.2×' (en) or '3,2×' (fr)."""
    if _is_missing(value):
        return t("report.na", lang)
    return f"{format_number(value, lang, 1)}×"


def format_date(value: date | str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """'Mar 25, 2024' (en) or '25 mars 2024' (fr)."""
    if value is None:
        return t("report.na", lang)
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    month = MONTHS[lang if lang in MONTHS else DEFAULT_LANGUAGE][value.month - 1]
    if lang == "fr":
        return f"{value.day} {month} {value.year}"
    return f"{month} {value.day}, {value.year}"
