"""Every user-facing string, in English and Russian, with locale-aware dates and numbers.

``t(key, lang, **values)`` formats one message; ``tn(key, n, lang, **values)`` picks
the plural form CLDR gives for ``n`` in that language (Russian has three). Dates,
numbers and country names come from CLDR through babel, so nothing here is
hand-formatted per language. A test fails when any message lacks a translation.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, get_group_symbol

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}

MESSAGES: dict[str, dict[str, str]] = {
    # page and sidebar
    "app_title": {
        "en": "Asylum-seeker detentions and refugee status",
        "ru": "Задержания лиц, ищущих убежища, и статус беженца",
    },
    "filters": {"en": "Filters", "ru": "Фильтры"},
    "host_country": {"en": "Host country", "ru": "Страна пребывания"},
    "nationality": {"en": "Nationality", "ru": "Гражданство"},
    "all_hosts": {"en": "All host countries", "ru": "Все страны пребывания"},
    "all_nationalities": {"en": "All nationalities", "ru": "Все гражданства"},
    "dates": {"en": "Dates", "ru": "Даты"},
    "incident_types": {"en": "Incident types", "ru": "Типы случаев"},
    "no_type_chosen": {
        "en": "No type chosen: showing all incident types.",
        "ru": "Тип не выбран: показаны все типы случаев.",
    },
    "period": {"en": "Period", "ru": "Период"},
    "include_illustrative": {
        "en": "Include illustrative sample records",
        "ru": "Показывать иллюстративные записи",
    },
    "display": {"en": "Display", "ru": "Отображение"},
    "language": {"en": "Language", "ru": "Язык"},
    "theme": {"en": "Theme", "ru": "Тема"},
    "theme_light": {"en": "Light", "ru": "Светлая"},
    "theme_dark": {"en": "Dark", "ru": "Тёмная"},
    "presentation_mode": {"en": "Presentation mode", "ru": "Режим презентации"},
    "presentation_help": {
        "en": "One scene at a time, full screen. Next: PageDown or →; previous: PageUp or ←.",
        "ru": "По одной сцене на весь экран. Далее: PageDown или →; назад: PageUp или ←.",
    },
    "next": {"en": "Next", "ru": "Далее"},
    "previous": {"en": "Previous", "ru": "Назад"},
    "exit_presentation": {"en": "Exit presentation", "ru": "Выйти из презентации"},
    "scene_counter": {"en": "Scene {scene} of {total}", "ru": "Сцена {scene} из {total}"},
    "share_link": {"en": "Link to this view", "ru": "Ссылка на этот вид"},
    "share_link_help": {
        "en": "The address bar holds every filter, the language, theme and scene: copy it to share this exact view.",
        "ru": "В адресной строке сохранены все фильтры, язык, тема и сцена: скопируйте её, чтобы поделиться этим видом.",
    },
    # uploads
    "your_data": {"en": "Your data", "ru": "Ваши данные"},
    "upload_files": {"en": "Add CSV or XLSX files", "ru": "Добавить файлы CSV или XLSX"},
    "upload_help": {
        "en": "Incidents, status, stocks or timeline files in the project's format, or UNHCR, UK Home Office, US ICE or HXL files. Up to {limit} MB each. They are read in memory for this browser session only; nothing is stored on the server.",
        "ru": "Файлы случаев, статусов, численности или хронологии в формате проекта либо файлы УВКБ ООН, МВД Великобритании, ICE США или HXL. До {limit} МБ каждый. Они читаются в памяти только для этого сеанса браузера; на сервере ничего не сохраняется.",
    },
    "upload_session_limit": {
        "en": "Uploads in this session may hold {limit} MB in all; left out: {files}. Remove files to add others.",
        "ru": "Загрузки в этом сеансе могут занимать не более {limit} МБ вместе; не загружены: {files}. Удалите файлы, чтобы добавить другие.",
    },
    "upload_mode": {"en": "Uploaded files", "ru": "Загруженные файлы"},
    "upload_add": {"en": "Add to the data", "ru": "Добавить к данным"},
    "upload_replace": {"en": "Replace the data", "ru": "Заменить данные"},
    "allow_personal": {
        "en": "Allow files with personal-data columns",
        "ru": "Разрешить файлы со столбцами личных данных",
    },
    "allow_personal_help": {
        "en": "Columns such as names, passport numbers or dates of birth are refused by default. When allowed, such columns are dropped on load and never shown, charted or exported.",
        "ru": "Столбцы с именами, номерами паспортов или датами рождения по умолчанию не принимаются. Если разрешить, такие столбцы удаляются при загрузке и нигде не показываются и не выгружаются.",
    },
    "loading_files": {"en": "Reading {n} uploaded files…", "ru": "Чтение загруженных файлов: {n}…"},
    "loaded_counts": {
        "en": "Loaded: {incidents} incident rows, {status} status rows, {stocks} stock rows.",
        "ru": "Загружено строк: случаи — {incidents}, статусы — {status}, численность — {stocks}.",
    },
    # downloads
    "downloads": {"en": "Download the data", "ru": "Скачать данные"},
    "download_chart": {"en": "Data of “{chart}” (CSV)", "ru": "Данные графика «{chart}» (CSV)"},
    "download_records": {"en": "Records in view (CSV)", "ru": "Записи в выборке (CSV)"},
    "download_hxl": {"en": "Add HXL hashtags", "ru": "Добавить хэштеги HXL"},
    "download_filters": {"en": "Filters: {filters}", "ru": "Фильтры: {filters}"},
    "download_sources": {"en": "Sources: {sources}", "ru": "Источники: {sources}"},
    "download_exported": {"en": "Exported: {when}", "ru": "Выгружено: {when}"},
    "download_citation": {
        "en": "Suggested citation: refugee-stats, {title}, {filters}, exported {date}, from data by {sources}",
        "ru": "Ссылка для цитирования: refugee-stats, {title}, {filters}, выгружено {date}, по данным: {sources}",
    },
    "download_illustrative": {
        "en": "Contains ILLUSTRATIVE records: made up for demonstration, not real data",
        "ru": "Содержит ИЛЛЮСТРАТИВНЫЕ записи: придуманы для демонстрации, это не реальные данные",
    },
    # granularities
    "month": {"en": "Month", "ru": "Месяц"},
    "quarter": {"en": "Quarter", "ru": "Квартал"},
    "year": {"en": "Year", "ru": "Год"},
    # scenes
    "scene_key_figures": {"en": "Key figures", "ru": "Ключевые показатели"},
    "scene_detentions": {"en": "Detentions", "ru": "Задержания"},
    "scene_decisions": {"en": "Status decisions", "ru": "Решения о статусе"},
    "scene_nationalities": {"en": "Nationalities", "ru": "Гражданство"},
    "scene_map": {"en": "Map", "ru": "Карта"},
    # key figures
    "people_detained": {"en": "People detained", "ru": "Задержано человек"},
    "incidents": {"en": "Incidents", "ru": "Случаев"},
    "of_whom_refugees": {"en": "Of whom UNHCR refugees", "ru": "Из них беженцы УВКБ ООН"},
    "of_whom_refugees_help": {
        "en": "Detained people known to hold UNHCR refugee status; status unknown for {unknown}.",
        "ru": "Задержанные, о которых известно, что у них был статус беженца УВКБ ООН; статус неизвестен для {unknown}.",
    },
    "revocations": {"en": "Status revocations", "ru": "Лишены статуса"},
    "revocations_help": {
        "en": "People whose refugee status was revoked.",
        "ru": "Люди, лишённые статуса беженца.",
    },
    "removed": {"en": "Extradited or deported", "ru": "Выданы или выдворены"},
    "removed_help": {
        "en": "People extradited, deported or forcibly returned.",
        "ru": "Люди, выданные, депортированные или принудительно возвращённые.",
    },
    # banners and messages
    "illustrative_banner": {
        "en": "**Illustrative data in view.** {n} of the records shown are made up for demonstration and are marked "
        "ILLUSTRATIVE on every chart. Switch off “{toggle}” to see real records only.",
        "ru": "**В выборке есть иллюстративные данные.** {n} из показанных записей придуманы для демонстрации и "
        "помечены на каждом графике. Выключите «{toggle}», чтобы видеть только реальные записи.",
    },
    "problems_title": {
        "en": "Data problems: {errors} errors, {warnings} warnings",
        "ru": "Проблемы в данных: ошибок — {errors}, предупреждений — {warnings}",
    },
    "problems_left_out": {
        "en": "{title}. Rows and files with errors are left out; everything else is charted.",
        "ru": "{title}. Строки и файлы с ошибками не учитываются; всё остальное показано.",
    },
    "no_records": {
        "en": "No records match these filters. Widen the date range or clear a country filter.",
        "ru": "Нет записей, подходящих под эти фильтры. Расширьте диапазон дат или снимите фильтр по стране.",
    },
    "records_in_view": {"en": "Records in view", "ru": "Записи в выборке"},
    "records_first": {
        "en": "Showing the first {shown} of {total} records; the download below holds them all.",
        "ru": "Показаны первые {shown} из {total} записей; в выгрузке ниже — все.",
    },
    "url_ignored": {
        "en": "Ignored in the link: {key}={value} ({reason}).",
        "ru": "Не учтено из ссылки: {key}={value} ({reason}).",
    },
    "reason_unknown_code": {"en": "not a country in the data", "ru": "такой страны нет в данных"},
    "reason_not_month": {"en": "expected a month as YYYY-MM", "ru": "ожидается месяц в виде ГГГГ-ММ"},
    "reason_from_after_to": {"en": "the start is after the end", "ru": "начало позже конца"},
    "reason_not_choice": {"en": "expected one of {choices}", "ru": "ожидается одно из: {choices}"},
    "reason_outside_data": {"en": "outside the dates of the data", "ru": "вне дат, охваченных данными"},
    # record table columns
    "col_date": {"en": "Date", "ru": "Дата"},
    "col_what": {"en": "What", "ru": "Что"},
    "col_people": {"en": "People", "ru": "Человек"},
    "col_unhcr": {"en": "UNHCR refugees", "ru": "Беженцы УВКБ ООН"},
    "col_unhcr_help": {"en": "Blank: unknown", "ru": "Пусто: неизвестно"},
    "col_source": {"en": "Source", "ru": "Источник"},
    "col_link": {"en": "Link", "ru": "Ссылка"},
    "col_link_text": {"en": "open", "ru": "открыть"},
    "col_illustrative": {"en": "Illustrative", "ru": "Иллюстрация"},
    "col_reference": {"en": "File:row", "ru": "Файл:строка"},
    "col_reference_help": {
        "en": "Where the record is in its data file",
        "ru": "Где запись находится в файле данных",
    },
    # incident types, authorities, decisions
    "type_detention": {"en": "detention", "ru": "задержание"},
    "type_release": {"en": "release", "ru": "освобождение"},
    "type_extradition": {"en": "extradition", "ru": "экстрадиция"},
    "type_deportation": {"en": "deportation", "ru": "депортация"},
    "type_forced_return": {"en": "forced return", "ru": "принудительное возвращение"},
    "authority_unhcr": {"en": "UNHCR", "ru": "УВКБ ООН"},
    "authority_national": {"en": "National authority", "ru": "Национальный орган"},
    "authority_joint": {"en": "Joint procedure", "ru": "Совместная процедура"},
    "decision_applied": {"en": "Applied", "ru": "Подано заявление"},
    "decision_recognized": {"en": "Recognized", "ru": "Признан беженцем"},
    "decision_complementary": {"en": "Complementary protection", "ru": "Дополнительная защита"},
    "decision_rejected": {"en": "Rejected", "ru": "Отказ"},
    "decision_revoked": {"en": "Revoked", "ru": "Лишён статуса"},
    "decision_closed": {"en": "Closed", "ru": "Дело закрыто"},
    # filter sentence
    "describe_all_hosts": {"en": "all host countries", "ru": "все страны пребывания"},
    "describe_all_nationalities": {"en": "all nationalities", "ru": "все гражданства"},
    "describe_all_dates": {"en": "all dates", "ru": "все даты"},
    "describe_from": {"en": "from {date}", "ru": "с {date}"},
    "describe_until": {"en": "until {date}", "ru": "по {date}"},
    "describe_real_only": {"en": "real records only", "ru": "только реальные записи"},
    # charts
    "chart_detentions": {"en": "People detained, by nationality", "ru": "Задержанные по гражданству"},
    "chart_decisions": {
        "en": "Refugee-status decisions, revocations emphasised",
        "ru": "Решения о статусе беженца; лишение статуса выделено",
    },
    "chart_nationalities": {
        "en": "Nationalities of people detained, share per period",
        "ru": "Гражданство задержанных, доля за период",
    },
    "chart_map_host": {"en": "Where people were detained", "ru": "Где задерживали людей"},
    "chart_map_nationality": {"en": "Nationalities of people detained", "ru": "Гражданство задержанных"},
    "axis_period": {"en": "Period", "ru": "Период"},
    "axis_people_detained": {"en": "People detained", "ru": "Задержано человек"},
    "axis_people": {"en": "People", "ru": "Человек"},
    "axis_share": {"en": "Share of people detained (%)", "ru": "Доля задержанных (%)"},
    "legend_unhcr": {"en": "Of whom UNHCR refugees", "ru": "Из них беженцы УВКБ ООН"},
    "other": {"en": "Other", "ru": "Другие"},
    "hover_people": {"en": "people", "ru": "чел."},
    "hover_unhcr": {
        "en": "%{customdata[3]} of %{customdata[1]} detained held UNHCR refugee status<br>status unknown for %{customdata[2]}",
        "ru": "%{customdata[3]} из %{customdata[1]} задержанных имели статус беженца УВКБ ООН<br>статус неизвестен для %{customdata[2]}",
    },
    "records_public": {
        "en": "Public mode: the records are listed without their counts, since one record's count beside the totals could give a count under 5 back by subtraction.",
        "ru": "Публичный режим: записи показаны без чисел, так как число одной записи рядом с итогами позволило бы вычислить число меньше 5 вычитанием.",
    },
    "no_status_recorded": {
        "en": "UNHCR status is not recorded in these records: no refugee line is drawn.",
        "ru": "Статус УВКБ ООН в этих записях не указан: линия беженцев не показана.",
    },
    "status_not_recorded": {"en": "status not recorded", "ru": "статус не указан"},
    "status_unknown_for": {"en": "status unknown for {unknown}", "ru": "статус неизвестен: {unknown}"},
    "status_unknown_help": {
        "en": "No detention in view states how many held UNHCR refugee status.",
        "ru": "Ни в одной записи о задержании не указано, сколько человек имели статус беженца УВКБ ООН.",
    },
    "source_line": {"en": "Source: {sources}", "ru": "Источник: {sources}"},
    "source_more": {"en": "and {n} more (see the records table)", "ru": "и ещё {n} (см. таблицу записей)"},
    "unplaced_note": {
        "en": "Not drawn per {granularity}: {parts}. Choose a coarser period to include them.",
        "ru": "Не показано по периоду «{granularity}»: {parts}. Выберите более крупный период, чтобы их учесть.",
    },
    "unplaced_part": {
        "en": "{records} ({people}) dated only to the {precision}",
        "ru": "{records} ({people}) с датой с точностью до {precision}",
    },
    "precision_month": {"en": "month", "ru": "месяца"},
    "precision_quarter": {"en": "quarter", "ru": "квартала"},
    "precision_year": {"en": "year", "ru": "года"},
    "cases_note": {
        "en": "Not drawn: {n} decisions counted in cases, not persons.",
        "ru": "Не показаны: {n} решений, учтённых по делам, а не по людям.",
    },
    "protection_note": {
        "en": "Public mode: counts from 1 to 4 are shown as <5; x marks a count withheld so that none under 5 can be worked out by subtraction. Both are drawn hatched, at a nominal height.",
        "ru": "Публичный режим: числа от 1 до 4 показаны как <5; x — число, скрытое, чтобы меньшее 5 нельзя было вычислить вычитанием. И те и другие нарисованы штриховкой условной высоты.",
    },
    "fewer_than_five": {"en": "<5 people", "ru": "<5 человек"},
    "fewer_than_five_incidents": {"en": "<5 incidents", "ru": "<5 случаев"},
    "public_mode": {"en": "Public mode: hide counts under 5", "ru": "Публичный режим: скрыть числа меньше 5"},
    "public_mode_help": {
        "en": "Counts from 1 to 4 are shown as <5 in figures, charts, maps, tables and downloads. On by default in presentation mode.",
        "ru": "Числа от 1 до 4 показываются как <5 в показателях, графиках, картах, таблицах и выгрузках. В режиме презентации включено по умолчанию.",
    },
    "watermark": {"en": "ILLUSTRATIVE DATA", "ru": "ИЛЛЮСТРАТИВНЫЕ ДАННЫЕ"},
    "empty_detentions": {
        "en": "No detentions match these filters.",
        "ru": "Нет задержаний, подходящих под эти фильтры.",
    },
    "empty_decisions": {
        "en": "No status decisions match these filters.",
        "ru": "Нет решений о статусе, подходящих под эти фильтры.",
    },
    "empty_unplaced": {
        "en": "Nothing to draw per {granularity}: {parts}. Switch the period to {target} to see them.",
        "ru": "Нечего показать по периоду «{granularity}»: {parts}. Выберите период «{target}», чтобы их увидеть.",
    },
    "switch_period": {"en": "Switch the period to {period}", "ru": "Выбрать период «{period}»"},
    "not_on_map": {"en": "Not on the map: {items}", "ru": "Нет на карте: {items}"},
    # takeaways
    "takeaway_key_figures": {
        "en": "{detained} detained in {incidents}; {refugees}; {revoked} lost refugee status.",
        "ru": "Задержаны: {detained}, случаев: {incidents_n}; {refugees}; лишены статуса беженца — {revoked}.",
    },
    "takeaway_key_figures_no_decisions": {
        "en": "{detained} detained in {incidents}; {refugees}; no status decisions in this view.",
        "ru": "Задержаны: {detained}, случаев: {incidents_n}; {refugees}; решений о статусе в этой выборке нет.",
    },
    "clause_refugees": {
        "en": "{refugees} held UNHCR refugee status",
        "ru": "статус беженца УВКБ ООН имели {refugees}",
    },
    "clause_refugees_partly_unknown": {
        "en": "{refugees} held UNHCR refugee status (status unknown for {unknown})",
        "ru": "статус беженца УВКБ ООН имели {refugees} (статус неизвестен: {unknown})",
    },
    "clause_status_unknown": {
        "en": "their UNHCR status is not recorded",
        "ru": "их статус УВКБ ООН не указан",
    },
    "clause_them_refugees": {
        "en": "{refugees} of them were UNHCR refugees",
        "ru": "из них беженцы УВКБ ООН — {refugees}",
    },
    "clause_them_partly_unknown": {
        "en": "{refugees} of them were UNHCR refugees, status unknown for {unknown}",
        "ru": "из них беженцы УВКБ ООН — {refugees}, статус неизвестен: {unknown}",
    },
    "takeaway_peak_single": {
        "en": "{period}: {host} detained {detained} of {nationality}; {refugees}.",
        "ru": "{period}, {host}: задержаны {detained} (гражданство: {nationality}); {refugees}.",
    },
    "takeaway_peak": {
        "en": "The most detained in one {granularity}: {detained}, in {period}; {refugees}.",
        "ru": "Больше всего задержанных за {granularity_acc}: {detained} ({period}); {refugees}.",
    },
    "takeaway_decisions": {
        "en": "{revoked} lost refugee status: {share} of the {decisions} decided on in this view.",
        "ru": "Лишены статуса беженца: {revoked} — {share} из {decisions_n} человек, по которым приняты решения.",
    },
    "takeaway_decisions_no_share": {
        "en": "{revoked} lost refugee status, of the {decisions} decided on in this view.",
        "ru": "Лишены статуса беженца: {revoked} из {decisions_n} человек, по которым приняты решения.",
    },
    "takeaway_no_revocations": {
        "en": "No revocations in this view; {decisions} decided on in all.",
        "ru": "Лишений статуса в этой выборке нет; всего решений: {decisions}.",
    },
    "takeaway_nationalities": {
        "en": "Nationals of {nationality} were the largest group detained: {share} of {detained}.",
        "ru": "Крупнейшая группа задержанных — граждане страны «{nationality}»: {share} из {detained_n}.",
    },
    "takeaway_nationalities_no_share": {
        "en": "Nationals of {nationality} were the largest group of the {detained} detained.",
        "ru": "Крупнейшая группа из {detained_n} задержанных — граждане страны «{nationality}».",
    },
    "takeaway_map": {
        "en": "Most people were detained in {host}: {detained} of {total}.",
        "ru": "Больше всего людей задержано в стране «{host}»: {detained} из {total}.",
    },
    "withheld_people": {"en": "x people (withheld)", "ru": "x человек (скрыто)"},
    "withheld_incidents": {"en": "x incidents (withheld)", "ru": "x случаев (скрыто)"},
    "takeaway_nothing": {"en": "Nothing in this view.", "ru": "В этой выборке ничего нет."},
    "granularity_acc_month": {"en": "month", "ru": "месяц"},
    "granularity_acc_quarter": {"en": "quarter", "ru": "квартал"},
    "granularity_acc_year": {"en": "year", "ru": "год"},
}

#: Messages with a number: one form per CLDR plural category of each language.
PLURALS: dict[str, dict[str, dict[str, str]]] = {
    "n_people": {
        "en": {"one": "{n} person", "other": "{n} people"},
        "ru": {"one": "{n} человек", "few": "{n} человека", "many": "{n} человек", "other": "{n} человека"},
    },
    "n_nationals": {
        "en": {"one": "{n} national", "other": "{n} nationals"},
        "ru": {
            "one": "{n} гражданин",
            "few": "{n} гражданина",
            "many": "{n} граждан",
            "other": "{n} гражданина",
        },
    },
    "n_incidents": {
        "en": {"one": "{n} incident", "other": "{n} incidents"},
        "ru": {"one": "{n} случай", "few": "{n} случая", "many": "{n} случаев", "other": "{n} случая"},
    },
    "n_records": {
        "en": {"one": "{n} record", "other": "{n} records"},
        "ru": {"one": "{n} запись", "few": "{n} записи", "many": "{n} записей", "other": "{n} записи"},
    },
    "n_host_countries": {
        "en": {"one": "{n} host country", "other": "{n} host countries"},
        "ru": {
            "one": "{n} страна пребывания",
            "few": "{n} страны пребывания",
            "many": "{n} стран пребывания",
            "other": "{n} страны пребывания",
        },
    },
    "n_nationalities": {
        "en": {"one": "{n} nationality", "other": "{n} nationalities"},
        "ru": {
            "one": "{n} гражданство",
            "few": "{n} гражданства",
            "many": "{n} гражданств",
            "other": "{n} гражданства",
        },
    },
}


def language(lang: str | None) -> str:
    """A supported language code, falling back to English."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """The message ``key`` in ``lang``, with ``values`` filled in."""
    text = MESSAGES[key][language(lang)]
    return text.format(**values) if values else text


def tn(key: str, n: int, lang: str = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """The plural form of message ``key`` for the number ``n`` (formatted for the locale)."""
    lang = language(lang)
    forms = PLURALS[key][lang]
    category = Locale.parse(lang).plural_form(abs(n))
    return forms.get(category, forms["other"]).format(n=number(n, lang), **values)


def number(n: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A number with the locale's grouping: ``1,234`` in English, ``1 234`` in Russian."""
    locale = language(lang)
    if isinstance(n, int | np.integer) and not isinstance(n, bool):
        separator = _thousands(locale)
        if separator is not None:  # babel's answer, without babel's cost per call
            return f"{int(n):,}".replace(",", separator)
    return format_decimal(n, locale=locale)


@functools.cache
def _thousands(locale: str) -> str | None:
    """The locale's group separator if babel groups whole numbers in threes from 1,000; else None."""
    separator = get_group_symbol(locale)
    probes = (0, 7, 999, 1000, 1234, 12345, 123456, 1234567, -1234567)
    same = all(format_decimal(n, locale=locale) == f"{n:,}".replace(",", separator) for n in probes)
    return separator if same else None


def percent(share: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A share in per cent (0-100), rounded: ``62%`` / ``62 %``."""
    from babel.numbers import format_percent

    return format_percent(share / 100, locale=language(lang))


def month_label(stamp: pd.Timestamp, lang: str = DEFAULT_LANGUAGE) -> str:
    """Short month and year: ``Jun 2010`` / ``июн. 2010``."""
    return format_date(stamp.date(), "LLL y", locale=language(lang))


def month_label_long(stamp: pd.Timestamp, lang: str = DEFAULT_LANGUAGE, heading: bool = True) -> str:
    """Full month and year: ``June 2010`` / ``Июнь 2010`` as a heading or at a sentence's start,
    ``июнь 2010`` inside a sentence (Russian month names are lower case)."""
    text = format_date(stamp.date(), "LLLL y", locale=language(lang))
    return text[:1].upper() + text[1:] if heading else text


def period_label(
    start: pd.Timestamp,
    granularity: str,
    lang: str = DEFAULT_LANGUAGE,
    long: bool = False,
    heading: bool = True,
) -> str:
    """Label of a chart period: ``Jun 2010`` / ``Q2 2010`` / ``2010`` (localised); ``long`` spells
    the month out, capitalised unless not ``heading`` (see :func:`month_label_long`)."""
    if granularity == "month":
        return month_label_long(start, lang, heading) if long else month_label(start, lang)
    if granularity == "quarter":
        return format_date(start.date(), "QQQ y", locale=language(lang))
    return str(start.year)


def labels(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Display names of columns for plotly ``labels=`` and tables."""
    return {
        "period": t("axis_period", lang),
        "people": t("axis_people", lang),
        "people_detained": t("axis_people_detained", lang),
        "share": t("axis_share", lang),
        "unhcr_refugees": t("legend_unhcr", lang),
        "host_country": t("host_country", lang),
        "nationality": t("nationality", lang),
    }


def choice(prefix: str, value: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Display name of an enum value: ``choice("type", "forced_return")`` -> ``forced return``."""
    return t(f"{prefix}_{value}", lang)


def span_label(start: pd.Timestamp, end: pd.Timestamp, lang: str = DEFAULT_LANGUAGE) -> str:
    """Compact label of a date range: ``2010``, ``2009-2011``, ``Jun 2010``, ``Jun 2010-Mar 2011``."""
    whole_years = (
        start == start.to_period("Y").start_time
        and end.normalize() == end.to_period("Y").end_time.normalize()
    )
    if whole_years:
        return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
    first, last = month_label(start, lang), month_label(end, lang)
    return first if first == last else f"{first}-{last}"
