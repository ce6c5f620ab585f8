"""A realistic, deterministic corpus of case studies for scale benchmarks.

    .venv/bin/python benchmarks/corpus.py N [--seed S] [--output FILE]

writes N case studies in the interchange format (knowledgebase/data/case-study.schema.json),
one JSON object a line, to FILE or stdout. From Python, the same records as dicts:

    from corpus import generate            # with benchmarks/ on sys.path
    from benchmarks.corpus import generate # from the repository root
    for record in generate(10_000, seed=1): ...

What is realistic about it:

- Text is written per theme, the way a registered manager would write it (UK spelling):
  every theme of taxonomy.json has its own bank of problems, causes, actions (each tagged
  with the innovation type it is), details, outcome measures, lessons, costs and quotes.
  Sentences are composed from these banks, general templates and figures, so records are
  distinct (few whole sentences recur beyond stock ones) while term statistics follow the
  sector's vocabulary. Lengths vary like hand-written case studies: a challenge of roughly
  60-200 words, an approach of 150-600 words in paragraphs, outcomes with before and after
  figures that match the challenge's figure and the summary's.
- Spreads are skewed as in life: themes follow a Zipf-like weighting (person-centred care
  and dementia far more common than equality or learning from incidents), adjusted by
  service type (learning disability in supported living and Shared Lives, pressure care in
  nursing homes); key questions and quality statements follow the themes; service types
  are mostly care homes and homecare; regions are weighted by England's population.
- About one provider per five case studies, each with an invented name, a unique CQC
  location id and ratings that every one of its case studies shares. Every record meets
  the Outstanding rule: a provider rated Good overall is Outstanding in one or two key
  questions, writes mostly about themes in those, and each of its case studies addresses
  at least one of them.
- Dates (ratings, publication, the project's months) fall within the six years before
  CORPUS_DATE, more of them recent. Optional fields are present at the rates a real
  collection would have, except the published date, which every record has (as export
  writes them): a record without one would get the import's date and so never re-import
  as unchanged.

Deterministic: the same N and seed give byte-identical output, and record i never depends
on N (the first 1,000 of a 10,000 corpus are the 1,000 corpus). Each record's text comes
from its own random.Random(seed, i); providers are dealt to records by a sequential process
of its own, so a prefix of the stream is the same whatever comes after it.
"""

import argparse
import json
import os
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

TAXONOMY_FILE = Path(__file__).resolve().parent.parent / "knowledgebase/data/taxonomy.json"
TAXONOMY = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))
KEY_QUESTIONS = [kq["slug"] for kq in TAXONOMY["key_questions"]]
STATEMENT_KEY_QUESTION = {qs["slug"]: qs["key_question"] for qs in TAXONOMY["quality_statements"]}

# The corpus is dated as if written on this day, so that nothing depends on the clock.
CORPUS_DATE = date(2026, 11, 30)
CORPUS_YEARS = 6

# --- services and places -----------------------------------------------------------------


@dataclass(frozen=True)
class Service:
    weight: float  # how common among providers: care homes and homecare are most of them
    phrase: str  # "in {phrase}", for titles
    size: str  # the service described, with {n} (and {k}) filled from sizes
    sizes: tuple
    people: str  # plural, no article: "{few} {people}", "the share of {people}"
    person: str
    person_desc: str  # a person quoted: "Doris, a resident"
    family_tail: str  # a relative quoted: "whose mother lives at Willow Court"
    staff: str
    staff_one: str
    place: str
    room: str
    units: tuple  # where a change is tried first: "one floor", "one patch"
    leads: tuple  # who leads the work when the theme names nobody


SERVICES = {
    "residential-care-home": Service(
        weight=30,
        phrase="a residential home",
        size="a {n}-bed residential home",
        sizes=(18, 80),
        people="residents",
        person="resident",
        person_desc="a resident",
        family_tail="lives at {home}",
        staff="care workers",
        staff_one="care worker",
        place="the home",
        room="bedroom",
        units=("floor", "unit", "wing"),
        leads=("deputy manager", "senior care worker"),
    ),
    "homecare": Service(
        weight=29,
        phrase="homecare",
        size="a homecare service supporting around {n} people",
        sizes=(40, 380),
        people="people we support",
        person="person",
        person_desc="who has care at home from us",
        family_tail="we support",
        staff="care workers",
        staff_one="care worker",
        place="the service",
        room="home",
        units=("patch", "round", "area team"),
        leads=("care coordinator", "field care supervisor"),
    ),
    "nursing-home": Service(
        weight=16,
        phrase="a nursing home",
        size="a {n}-bed nursing home",
        sizes=(30, 110),
        people="residents",
        person="resident",
        person_desc="a resident",
        family_tail="lives at {home}",
        staff="nurses and care workers",
        staff_one="nurse and care worker",
        place="the home",
        room="bedroom",
        units=("floor", "unit", "wing"),
        leads=("clinical lead", "deputy manager"),
    ),
    "supported-living": Service(
        weight=12,
        phrase="supported living",
        size="a supported living service for {n} tenants in {k} houses",
        sizes=(8, 64),
        people="tenants",
        person="tenant",
        person_desc="a tenant",
        family_tail="is a tenant with us",
        staff="support workers",
        staff_one="support worker",
        place="the service",
        room="flat",
        units=("house", "scheme", "team"),
        leads=("team leader", "service manager"),
    ),
    "extra-care-housing": Service(
        weight=5,
        phrase="extra care housing",
        size="an extra care scheme of {n} flats",
        sizes=(36, 140),
        people="tenants",
        person="tenant",
        person_desc="a tenant",
        family_tail="lives in one of our flats",
        staff="care workers",
        staff_one="care worker",
        place="the scheme",
        room="flat",
        units=("floor", "block", "team"),
        leads=("scheme manager", "team leader"),
    ),
    "day-service": Service(
        weight=4,
        phrase="a day service",
        size="a day service for around {n} people a week",
        sizes=(20, 90),
        people="members",
        person="member",
        person_desc="who comes to the day centre",
        family_tail="comes to the day centre",
        staff="support workers",
        staff_one="support worker",
        place="the day centre",
        room="home",
        units=("group", "room", "day"),
        leads=("day centre manager", "senior support worker"),
    ),
    "shared-lives": Service(
        weight=4,
        phrase="Shared Lives",
        size="a Shared Lives scheme with {n} Shared Lives carers",
        sizes=(14, 95),
        people="people we support",
        person="person",
        person_desc="who lives with a Shared Lives carer",
        family_tail="lives with one of our Shared Lives carers",
        staff="Shared Lives carers",
        staff_one="Shared Lives carer",
        place="the scheme",
        room="home",
        units=("area", "team", "group of carers"),
        leads=("Shared Lives worker", "scheme manager"),
    ),
}

# Mid-2022 population estimates in millions (ONS), so providers are spread like people.
REGIONS = {
    "north-east": (
        2.7,
        "Newcastle upon Tyne, Sunderland, Durham, Gateshead, Middlesbrough, "
        "Darlington, Hartlepool, Hexham, Morpeth, Stockton-on-Tees, South Shields, "
        "Bishop Auckland, Consett, Whitley Bay",
    ),
    "north-west": (
        7.5,
        "Manchester, Liverpool, Preston, Bolton, Wigan, Stockport, Blackburn, "
        "Lancaster, Carlisle, Kendal, Chester, Warrington, Southport, Oldham, "
        "Rochdale, Birkenhead, Barrow-in-Furness, Burnley",
    ),
    "yorkshire-and-the-humber": (
        5.6,
        "Leeds, Sheffield, Bradford, Hull, York, Wakefield, "
        "Doncaster, Barnsley, Huddersfield, Halifax, Harrogate, "
        "Scarborough, Rotherham, Grimsby, Scunthorpe, Whitby, Skipton",
    ),
    "east-midlands": (
        4.9,
        "Nottingham, Leicester, Derby, Lincoln, Northampton, Mansfield, "
        "Chesterfield, Loughborough, Kettering, Boston, Grantham, Buxton, Newark, "
        "Skegness, Matlock",
    ),
    "west-midlands": (
        6.0,
        "Birmingham, Coventry, Wolverhampton, Stoke-on-Trent, Worcester, "
        "Hereford, Shrewsbury, Telford, Walsall, Dudley, Solihull, Stafford, "
        "Nuneaton, Leamington Spa, Kidderminster, Ludlow",
    ),
    "east-of-england": (
        6.4,
        "Norwich, Ipswich, Cambridge, Peterborough, Colchester, "
        "Chelmsford, Luton, Bedford, King's Lynn, Great Yarmouth, "
        "Southend-on-Sea, St Albans, Stevenage, Bury St Edmunds, Lowestoft, Ely",
    ),
    "london": (
        8.9,
        "Croydon, Lewisham, Hackney, Brent, Ealing, Barnet, Enfield, Tower Hamlets, "
        "Southwark, Lambeth, Haringey, Newham, Bromley, Harrow, Hounslow, Wandsworth, "
        "Islington, Redbridge",
    ),
    "south-east": (
        9.4,
        "Brighton, Southampton, Portsmouth, Reading, Oxford, Canterbury, "
        "Maidstone, Guildford, Crawley, Milton Keynes, Eastbourne, Hastings, "
        "Basingstoke, Chichester, Folkestone, Worthing, High Wycombe",
    ),
    "south-west": (
        5.8,
        "Bristol, Plymouth, Exeter, Bath, Gloucester, Cheltenham, Swindon, "
        "Bournemouth, Taunton, Truro, Torquay, Salisbury, Yeovil, Barnstaple, "
        "Penzance, Weymouth",
    ),
}
TOWNS = {slug: towns.split(", ") for slug, (_, towns) in REGIONS.items()}

# --- names ----------------------------------------------------------------------------------

FIRST_NAMES = (
    "Janet Paul Grace Amira Priya Tomasz Chidi Siobhan Gareth Mohammed Fatima Kelly Dawn Lee "
    "Wayne Ayesha Agnieszka Joy Blessing Rekha Sunita Olu Emeka Maria Ana Liam Ellie Hannah "
    "Zoe Claire Sarah Michelle Nicola Joanne Lisa Tracey Karen Julie Helen Rachel Gemma Laura "
    "Natalie Donna Mark Andrew David Steven Darren Craig Jason Neil Ian Simon Rob Chris James "
    "Daniel Tom Sam Ravi Arjun Deepa Nadia Yasmin Imran Bilal Adaeze Tendai Ruth Bernadette "
    "Maureen Sandra Pauline Sharon Ewa Marta Bogdan Rosa Lucia Mei Wei Kwame Esther Florence "
    "Precious Nkechi Anjali Jo Bev Carol Debbie Shaun Kieran Aoife Rhian Callum Jade Megan"
).split()
SURNAMES = (
    "Armstrong Hedley Okonkwo Patel Khan Smith Jones Williams Taylor Brown Davies Evans Wilson "
    "Thomas Roberts Johnson Lewis Walker Robinson Wood Thompson White Watson Jackson Wright Green "
    "Harris Cooper King Lee Martin Clarke James Morgan Hughes Edwards Hill Moore Clark Harrison "
    "Scott Young Morris Hall Ward Turner Carter Phillips Mitchell Adams Campbell Anderson Allen "
    "Cook Bailey Parker Miller Davis Murphy Price Bell Baker Griffiths Kelly Simpson Marshall "
    "Collins Bennett Cox Richardson Fox Gray Rose Chapman Hunt Robertson Shaw Reynolds Lloyd "
    "Ellis Richards Russell Wilkinson Begum Hussain Ali Ahmed Singh Kaur Mensah Adeyemi Nowak "
    "Kowalski Nguyen Chen Okafor Mahmood Rahman Osei Fernandes Silva O'Brien Byrne Doyle"
).split()
NAME_STEMS = (
    "Willow Oak Birch Elm Beech Hazel Rowan Holly Cedar Laurel Heather Bramble Meadow Orchard "
    "Fern Primrose Bluebell Lavender Juniper Larch Sycamore Chestnut Poplar Kingfisher Heron "
    "Swallow Wren Robin Merlin Hawthorn Foxglove Thistle Clover Ivy Sunnyside Highfield "
    "Westfield Fairview Hillcrest Parkside Lakeside Riverside Southview Northgate Greenhill "
    "Stonecroft Broadmead Abbey Priory Minster Chapel Mill Moor Dale Fell Vale Coombe Haven"
).split()
STEM_STARTS = (
    "Ash Oak Elm Birch Holly Lark Brook Fern Thorn Rose Wood Green Kings Queens Church Moor Dale "
    "Wyke Hather Bram Hart Lang Cross Stone Red White Bright Fair High Long North South East "
    "West Marl Clay Sand Swan Heron Kestrel Mead Wil Brad Hol Rad"
).split()
STEM_ENDS = (
    "field brook leigh wood dene croft lea mead ford gate holme combe hurst wick bury ley side "
    "view bank well stead lands"
).split()
HOME_SUFFIXES = (
    "House Court Lodge Grange Manor Hall View Gardens Park Mews Place Cottage Rise Meadows"
).split()
BRANDS = (
    "Brightpath Kindred Heartwood Compass Lantern Keystone Hearthside Harbour Beacon Thrive "
    "Evergreen Northstar Tandem Cornerstone Wayfarer Amberley Kindly Steadfast Homeward "
    "Trueheart Silverline Goodwill Firstlight Openhand Riverbank Wellspring Ivybridge Oakhaven"
).split()
NAME_PATTERNS = {
    "residential-care-home": (
        "{stem} {suffix}",
        "{stem} {suffix}",
        "{stem} {suffix} Care Home",
        "{stem} Care Home",
    ),
    "nursing-home": ("{stem} {suffix} Nursing Home", "{stem} {suffix}", "{stem} Care Centre"),
    "homecare": (
        "{brand} Homecare Ltd",
        "{brand} Home Care ({town})",
        "{town} Community Care",
        "{stem} Care at Home",
        "{brand} Care Services - {town}",
        "{stem} Home Support",
    ),
    "supported-living": (
        "{brand} Supported Living",
        "{stem} Lives",
        "{town} Supported Living Services",
        "{stem} House Supported Living",
        "{brand} Support ({town})",
    ),
    "extra-care-housing": ("{stem} Court Extra Care", "{stem} Village", "{stem} Gardens"),
    "day-service": ("{stem} Day Centre", "{town} Day Opportunities", "{stem} Day Service"),
    "shared-lives": ("Shared Lives {town}", "{town} Shared Lives Scheme", "{brand} Shared Lives"),
}

# --- vocabulary per theme ---------------------------------------------------------------------
#
# Each bank field is a block of phrases, one a line; a line indented further continues the
# phrase above it. Phrases hold {slots}: the record's own words ({people}, {lead}, {home},
# {partner}...) and fresh draws ({few}, {weeks}, {pct}, {freq}...); see Slots and DRAWS.
#
#   actions    innovation type (or "general"): noun phrase | what we did
#              (the noun phrase for titles and summaries, the rest for the approach)
#   measures   what | low | high | unit | better (up or down); a measure whose name starts
#              with "the" is a level ("the share of ... was 41%"), the others are counts
#              ("we recorded 14 falls a month")
#   resources  what it cost | low £ | high £
#   quotes     voice (person, family, staff or partner), their role | the words

THEMES = {
    "person-centred-care": dict(
        key_questions="responsive 4, caring 4, effective 1",
        statements="""
            person-centred-care treating-people-as-individuals independence-choice-and-control
            listening-to-and-involving-people assessing-needs
        """,
        topics="""
            care plans that sound like the person
            choice at mealtimes and bedtimes
            flexible visit times
            one-page profiles
            what a good day looks like
            rotas built around people
        """,
        goals="""
            build care around what matters to each person
            give people real choice over their day
            make care plans personal
        """,
        problems="""
            care plans that described tasks rather than people
            routines that suited the rota rather than the {people}
            fixed visit times that did not fit people's lives
            {people} having little say over when they got up, ate or went to bed
            reviews that happened without the person in the room
        """,
        causes="""
            only {few} of the {count} care plans we reviewed said what the person enjoyed
            breakfast was served between 8 and 9am because that was when the kitchen was staffed
            {people} were asked what they wanted at their first assessment and rarely again
            visit times were set by the rota, not agreed with the person
            staff said they knew people well, but almost none of it was written down
        """,
        impacts="""
            People told us they felt 'done to'
            New and agency staff had no way of knowing what mattered to someone
            Complaints were about small things that mattered a great deal to the person
        """,
        actions="""
            digital-care-planning: digital care plans written with the person | rewrote every care
                plan in the digital system with the person, in their own words, starting with what
                matters to them
            co-production: person-led reviews | changed reviews so that each {person} chooses who
                comes, where it happens and what is discussed
            workforce-model: rotas built around people's days | rebuilt the rota around when people
                want support rather than the other way round, over {weeks} weeks
            workforce-model: small consistent teams | organised {staff} into small teams of {few},
                so that each {person} sees the same faces
            environment-design: kitchenettes on each floor | put kitchenettes where people can make
                a drink or a snack whenever they like
            general: 'what a good day looks like' conversations | had a 'what a good day looks like'
                conversation with every {person} and, where they wanted, their family
            general: flexible mealtimes | introduced a rolling breakfast from 7am until late
                morning, and supper whenever people wanted it
            general: one-page profiles | made a one-page profile for every {person}, kept at the
                front of their care plan and updated every {months} months
            general: respect for 'no' | agreed as a team that declining support is respected,
                recorded and offered again later, never pushed
        """,
        details="""
            Every plan now has a section called 'how I like things done', written in the first
                person and read by the {lead} {freq}.
            The {lead} reads {few} care plans a week to check they still sound like the person they
                describe.
            Staff ask at every visit whether there is anything the person would like to be
                different, and the {lead} reviews the answers {freq}.
            Agency staff read the one-page profile before they start, and {count} of them signed to
                say they had in the first year.
            We review each plan with the person at least every {months} months, and whenever they
                ask.
        """,
        measures="""
            the share of care plans written with the person | 18 | 45 | % | up
            complaints about routines | 4 | 14 | a year | down
            the share of {people} who said they had choice over their day | 40 | 65 | % | up
            the average satisfaction score | 6.2 | 7.6 | out of 10 | up
        """,
        lessons="""
            Rewriting care plans took much longer than we expected: about {hours} hours each.
            Some {people} did not want to talk about their plans; a chat over a cup of tea worked
                better than a formal review.
            Flexible times put pressure on the kitchen until we changed the cook's hours, {weeks}
                weeks in.
            We tried a long questionnaire and abandoned it after {weeks} weeks; a conversation was
                better.
            Person-centred words in a plan mean nothing unless the rota gives staff the time to
                follow them.
        """,
        resources="""
            staff time to rewrite care plans | 2000 | 8000
            kitchenette equipment | 800 | 3000
            digital care planning licence | 1500 | 6000
        """,
        materials="""
            one-page profile template
            'how I like things done' care plan section
            person-led review guide
        """,
        quotes="""
            person | I get up when I want now. It sounds small, but it is not.
            family | The plan reads like {parent}. Anyone could pick it up and know who {parent} is.
            staff, a care worker | I know everyone on my {unit} as a person, not a list of tasks.
            person | Since {month} nobody has woken me for breakfast. I have it at ten, with the
                paper.
        """,
        leads="""
            deputy manager
            care coordinator
            senior care worker
        """,
        partners="""
            the local authority's reviewing team
            Healthwatch
            the local advocacy service
        """,
    ),
    "dementia-care": dict(
        key_questions="caring 3, effective 3, responsive 3, safe 1",
        statements="""
            treating-people-as-individuals kindness-compassion-and-dignity person-centred-care
            assessing-needs delivering-evidence-based-care-and-treatment
                consent-to-care-and-treatment
        """,
        services="""
            supported-living 0.2, shared-lives 0.3, homecare 0.7, day-service 1.3, nursing-home 1.3,
                residential-care-home 1.5
        """,
        topics="""
            distress in the late afternoon
            personal care for people living with dementia
            life story work
            reducing antipsychotics in dementia
            walking with purpose
            mealtimes for people living with dementia
        """,
        goals="""
            reduce distress without sedation
            understand what people living with dementia are telling us
            make the day feel familiar
        """,
        problems="""
            distress and agitation in the late afternoon and evening
            {people} living with dementia declining personal care
            rising use of 'as required' medicines for agitation
            {people} living with dementia spending most of the day alone
            incidents between {people} in the lounge
        """,
        causes="""
            most episodes of distress happened between 3pm and teatime, when the shift changed and
                the lounge was busiest
            care plans said what people needed but almost nothing about who they were
            {few} people had undiagnosed pain, constipation or poor hearing behind what we had
                called 'behaviour'
            the environment was noisy, with the television on all day and no clear way to the toilet
            staff had dementia awareness training but little practical help with what to do in the
                moment
        """,
        impacts="""
            Some people were prescribed antipsychotics they did not need
            Relatives said their parent seemed lost and unhappy when they visited
            Staff felt they were firefighting rather than caring
        """,
        actions="""
            co-production: life story books | made a life story book with every {person} and their
                family, with photographs, jobs, places and what matters to them now
            therapeutic-activity: personal playlists | built personal music playlists with families
                and used them before personal care and at the times people were most unsettled
            therapeutic-activity: doll and pet therapy | introduced doll therapy and {freq} visits
                from a therapy dog, following each person's response closely
            environment-design: a dementia-friendly environment | repainted corridors in contrasting
                colours, put pictorial signs on toilet doors and turned the lounge television off
                during the day
            training-programme: practical dementia training | put every {staff_one} through a
                practical dementia course of {few} sessions, with role play and a simulation of
                sensory loss
            data-and-analytics: ABC charts for distress | used ABC charts for {weeks} weeks to find
                out what happened before, during and after each episode of distress
            assistive-technology: tablet reminiscence software | used tablet reminiscence software
                with old film clips and photographs of {town}
            quality-improvement-method: structured medicine reviews | reviewed every antipsychotic
                and sedative prescription with the GP and pharmacist, one person at a time
            general: pain assessment first | used the Abbey pain scale whenever someone was
                distressed, before thinking about medicine
            general: protected afternoon time | moved breaks so that more {staff} were on the floor
                between 3pm and 6pm, and planned quiet activity for that time
            general: a key worker for each person | gave each {person} a key worker who got to know
                them and their family over the first {weeks} weeks
        """,
        details="""
            Every care plan now opens with a one-page profile, and the {lead} checks {few} of them
                each week.
            The {lead} reviewed the ABC charts with the team every {day} and shared one thing to try
                next.
            Families filled in a 'this is me' form at the first visit, and we added to it over the
                following {weeks} weeks.
            We learnt to check for pain, hunger, thirst and the need for the toilet first; in {few}
                cases that was the whole answer.
            If someone becomes distressed, staff now stop, step back and try again in {minutes}
                minutes, or ask a colleague the person gets on with.
        """,
        measures="""
            recorded episodes of distress | 20 | 70 | a month | down
            the number of {people} prescribed an antipsychotic | 4 | 12 |  | down
            'as required' doses for agitation | 10 | 40 | a month | down
            the average observed wellbeing score | 2.2 | 3.2 | out of 5 | up
        """,
        lessons="""
            Playlists only worked when families helped choose the music; our own guesses were often
                wrong.
            Doll therapy divided opinion among families, so we only use it where the person clearly
                takes comfort and their family agrees.
            Turning off the television met resistance from some staff; after {weeks} weeks nobody
                wanted it back on.
            The ABC charts were filled in badly until we cut them to {few} questions on one page.
            We stopped a medicine too quickly for one {person} and had to restart it; reductions now
                go slowly, with the GP.
        """,
        resources="""
            tablets and reminiscence software | 600 | 2500
            paint, signs and contrasting fittings | 2000 | 9000
            dementia training for all staff | 1500 | 6000
            music players and headphones | 200 | 800
        """,
        materials="""
            one-page profile template
            ABC chart
            life story book template
        """,
        quotes="""
            family | When {parent}'s music goes on, {parent} is there again for a while.
            staff, a senior care worker | We stopped asking what to do about behaviour and started
                asking what someone was telling us.
            person | I like it here. They know about my garden.
            staff, a care worker | I used to dread teatime on the {unit}. Now it is the calmest part
                of the day.
        """,
        leads="""
            dementia lead
            Admiral Nurse
            activities coordinator
        """,
        partners="""
            the memory service
            the community mental health team for older people
            our GP practice
        """,
    ),
    "activities-and-wellbeing": dict(
        key_questions="caring 4, responsive 4, well-led 1",
        statements="""
            treating-people-as-individuals independence-choice-and-control person-centred-care
            partnerships-and-communities kindness-compassion-and-dignity
                supporting-people-to-live-healthier-lives
        """,
        services="""
            day-service 1.6, residential-care-home 1.4, extra-care-housing 1.5, homecare 0.5
        """,
        topics="""
            meaningful activity every day
            loneliness and isolation
            getting outdoors
            intergenerational sessions
            activity for people who stay in their rooms
            gardening
        """,
        goals="""
            bring people out of their rooms
            make every day meaningful
            reduce loneliness
        """,
        problems="""
            {people} spending most of the day with little to do
            activities that were poorly attended and mostly bingo
            loneliness, with many {people} having no visitors in a typical week
            few chances to go out into the community
            activities that stopped whenever the activities coordinator was off
        """,
        causes="""
            {pct} of {people} had no visitors in a typical week
            the activity programme was planned around the coordinator's hours, not around people's
                interests
            few activities suited people with limited mobility or sight
            outings depended on a minibus driver we did not have
            care staff saw activity as someone else's job
        """,
        impacts="""
            Low mood and poor appetite were common
            Families felt their relatives were bored
            People who had been active all their lives had stopped doing anything
        """,
        actions="""
            therapeutic-activity: a sensory garden | built a sensory garden with raised beds so that
                people can garden from a chair
            therapeutic-activity: weekly music sessions | brought in a musician {freq} and gave each
                {person} a personal playlist
            therapeutic-activity: animal visits | arranged regular visits from therapy animals,
                including a farm visit {freq}
            therapeutic-activity: cooking and baking clubs | started cooking and baking clubs of
                {few} or {few} people at a time
            community-partnership: sessions with a local nursery | set up weekly sessions with a
                local nursery, with the same {few} children and {people} each time
            community-partnership: links with local groups | linked {people} with local churches,
                allotments, football clubs and choirs in {town}
            co-production: an activities committee | set up an activities committee of {few}
                {people} who plan the programme each month
            assistive-technology: video calls and virtual tours | used tablets for video calls with
                family and virtual visits to places people used to know
            workforce-model: activity as everyone's job | made activity part of every care worker's
                role, with {minutes} minutes a shift set aside for it
            environment-design: a community café | turned the reception area into a café that is
                open to the people of {town}
            general: one-to-one time | planned one-to-one time for people who prefer to stay in
                their {room}, at least {times} a week
            general: an outings rota | started an outings rota with {few} volunteer drivers
        """,
        details="""
            Each {person}'s interests are in their care plan, and the {lead} builds the programme
                from them every {months} months.
            The {lead} uses a simple five-point wellbeing scale to see who is getting something from
                a session.
            Sessions are short, about {minutes} minutes, and repeated at different times of day.
            Volunteers from {town} now give around {count} hours a month.
            People who do not want to join in are asked again next time, and their choice is
                respected; {few} prefer it that way.
        """,
        measures="""
            the share of {people} joining at least one activity a week | 35 | 60 | % | up
            the number of {people} spending most days alone | 8 | 20 |  | down
            the average observed wellbeing score | 2.4 | 3.2 | out of 5 | up
            'as required' doses for anxiety | 6 | 16 | a month | down
        """,
        lessons="""
            Our first intergenerational session had far too many children and was overwhelming; a
                group of {few} works.
            Big group activities suited a few; most people preferred small groups or one-to-one
                time.
            Crafts with small parts did not work for people with arthritis or poor eyesight.
            The garden needed a watering rota, or it would have died in its first summer.
            Activities collapsed when the coordinator was on leave, until care workers shared the
                role.
        """,
        resources="""
            raised beds, paths and planting | 2000 | 9000
            a musician and music equipment | 1000 | 4000
            tablets and video calling | 400 | 1500
            outings and transport | 800 | 3000
        """,
        materials="""
            activity interest checklist
            wellbeing observation sheet
            partnership agreement with the nursery
        """,
        quotes="""
            person | I had not planted anything since I gave up my allotment. It gives me something
                to get up for.
            family | {parent} comes alive when the children are here.
            staff, an activities coordinator | It is the best part of my week, watching people light
                up.
            person | We went to the seaside in {month}. I had not seen the sea for years.
        """,
        leads="""
            activities coordinator
            wellbeing lead
            volunteer coordinator
        """,
        partners="""
            a local nursery
            the local library
            a community arts charity
        """,
    ),
    "leadership-and-culture": dict(
        key_questions="well-led 5, safe 1, caring 1",
        statements="""
            shared-direction-and-culture capable-compassionate-and-inclusive-leaders
                freedom-to-speak-up
            governance-management-and-sustainability learning-culture
                learning-improvement-and-innovation
        """,
        topics="""
            a culture where staff speak up
            visible leadership
            turning round a service
            values-based leadership
            leadership on every shift
            shared leadership
        """,
        goals="""
            build a culture where everyone can speak up
            turn round a struggling service
            make leadership visible on every shift
        """,
        problems="""
            a closed culture where concerns were not raised
            low morale after a poor inspection
            managers who were rarely seen on the floor
            decisions made at the top and never explained
            a high turnover of registered managers
        """,
        causes="""
            only {pct} of staff felt able to raise a concern, according to our staff survey
            the manager's office door was closed most of the day, and nights rarely saw a senior
            policies were written by head office and not understood on shift
            {few} registered managers had come and gone in {few} years
            nobody had asked staff what the service's values should be
        """,
        impacts="""
            Concerns reached CQC through whistleblowing rather than reaching us
            Good staff were leaving and saying why in exit interviews
            People we support noticed the tension between staff
        """,
        actions="""
            workforce-model: champion roles across the team | created champion roles across the
                team, each with time and a small budget
            workforce-model: a senior on nights | put a deputy manager on nights {freq} to support
                the night team
            quality-improvement-method: a daily flash meeting | introduced a {minutes}-minute flash
                meeting at 11am every day for every department
            quality-improvement-method: values-based supervision | built supervision around the
                service's values rather than a checklist
            co-production: values written together | wrote the service's values with staff, {people}
                and families in {few} workshops
            data-and-analytics: a monthly culture survey | ran a short anonymous culture survey
                every month and published the results within {few} days
            training-programme: a leadership programme for seniors | put {few} senior staff through
                a leadership programme with coaching
            general: Freedom to Speak Up guardians | appointed {few} Freedom to Speak Up guardians
                from outside the management line
            general: managers working shifts | had the registered manager work a care shift {freq},
                including nights and weekends
            general: 'you said, we did' | published a 'you said, we did' board every month
        """,
        details="""
            Anyone can bring a concern to the flash meeting, and it is logged with a name and a date
                for the reply, usually within {few} days.
            The {lead} spends the first hour of every day on the floor, not in the office.
            We share what went wrong at team meetings, with the learning but not the name; {count}
                lessons were shared in the first year.
            Champions meet {freq} and report one improvement at each staff meeting.
            New managers shadow an experienced colleague for {weeks} weeks before they lead a shift.
        """,
        measures="""
            the share of staff who felt able to raise a concern | 35 | 60 | % | up
            concerns raised with us directly | 2 | 8 | a quarter | up
            the staff turnover rate | 30 | 50 | % | down
            the staff engagement score | 5.0 | 6.5 | out of 10 | up
        """,
        lessons="""
            Concerns went up before they went down, and we had to explain to the board that this was
                a good sign.
            Too many champion roles at once meant none had enough time; we cut them back to {few}.
            The flash meeting only worked once we stopped it running over {minutes} minutes.
            Changing culture took at least {months} months, far longer than any single project.
            Some staff did not believe the survey was anonymous until we used an outside company to
                run it.
        """,
        resources="""
            leadership coaching | 2000 | 8000
            protected champion time | 3000 | 10000
            a culture survey tool | 300 | 1500
        """,
        materials="""
            flash meeting agenda
            values-based supervision template
            culture survey questions
        """,
        quotes="""
            staff, a care worker | I raised something small and {lead_name} came back to me the next
                day. That is when I knew it was different.
            family | You can feel the difference when you walk in.
            person | The managers know my name and they listen.
            staff, a senior care worker | I have worked here for {few} years and this is the first
                time I have felt part of the decisions.
        """,
        leads="""
            registered manager
            deputy manager
            Freedom to Speak Up guardian
        """,
        partners="""
            the local authority's quality team
            the integrated care board
            a peer provider
        """,
    ),
    "staff-training-and-development": dict(
        key_questions="effective 4, well-led 3, safe 2",
        statements="""
            how-staff-teams-and-services-work-together safe-and-effective-staffing
                learning-improvement-and-innovation
            workforce-wellbeing-and-enablement delivering-evidence-based-care-and-treatment
        """,
        topics="""
            career pathways for care workers
            training that changes practice
            the Care Certificate done properly
            growing our own nursing associates
            clinical skills for senior care workers
            learning through simulation
        """,
        goals="""
            make training change practice on the floor
            grow our own senior staff
            give care workers a career
        """,
        problems="""
            training that was completed online but did not change practice
            senior care workers without the clinical skills the job now needs
            no route for care workers to progress
            low confidence among new staff in moving and handling
            mandatory training overdue for a third of staff
        """,
        causes="""
            most training was e-learning done at home, unpaid and often in one sitting
            {pct} of staff could not explain what they would do in an emergency when we spot-checked
            there was no plan for who would step up when a senior left
            training was booked by course rather than by what people needed
            supervision rarely mentioned learning at all
        """,
        impacts="""
            Good care workers were leaving for NHS jobs that offered progression
            Managers were spending hours chasing certificates
            Simple things, like recognising a chest infection early, were missed
        """,
        actions="""
            training-programme: face-to-face practical training | replaced most e-learning with
                short face-to-face sessions in paid time, built around real situations
            training-programme: a simulation room | turned a spare room into a simulation room for
                practising moving and handling, choking and emergencies
            training-programme: apprenticeships | supported {few} care workers through level 3 and
                level 5 apprenticeships
            workforce-model: nursing associate training | funded {few} senior care workers to train
                as nursing associates, with placements at the local hospital
            workforce-model: a practice educator | created a practice educator role to coach staff
                on shift
            workforce-model: a career pathway | set out a career pathway from care worker to senior,
                team leader and deputy manager, with pay and training at each step
            digital-care-planning: training records in the staff app | moved training records into
                the staff app so that everyone could see what was due
            quality-improvement-method: observed practice checks | introduced observed practice
                checks within {weeks} weeks of every course, so that learning was tested on the
                floor
            data-and-analytics: a training needs analysis | did a training needs analysis for every
                team, linked to {months} months of incidents and audits
            general: reflective supervision | changed supervision to start with a reflective
                conversation about a recent situation
            general: learning lunches | held learning lunches {freq} where staff share one thing
                they have learnt
            general: protected study time | gave {hours} hours a month of protected study time to
                everyone on a qualification
        """,
        details="""
            Sessions last no more than {hours} hours and always end with staff practising, not just
                listening.
            The {lead} works alongside staff on shift {freq} and gives feedback there and then.
            Each new skill is signed off by a nurse or senior after {few} observed practices.
            We link every session to a real incident or near miss from the last {months} months.
            Staff choose one development goal at each supervision, and {count} goals were met in the
                first year.
        """,
        measures="""
            the share of staff up to date with training | 55 | 75 | % | up
            the share of staff who felt confident in an emergency | 35 | 60 | % | up
            internal promotions | 1 | 4 | a year | up
            moving and handling incidents | 4 | 14 | a quarter | down
        """,
        lessons="""
            Classroom sessions were hard to staff at first; shorter sessions at shift handover
                worked better.
            Not everyone wanted to progress, and we learnt to value expert care workers who stay in
                the role.
            Apprenticeship paperwork took far more time than we expected, about {hours} hours a
                month.
            The simulation room was underused until the {lead} booked sessions into the rota.
            We should have asked staff what they wanted to learn much earlier.
        """,
        resources="""
            practice educator hours | 8000 | 30000
            simulation equipment | 1500 | 6000
            paid training time | 3000 | 12000
        """,
        materials="""
            career pathway
            observed practice checklist
            simulation scenarios
        """,
        quotes="""
            staff, a senior care worker | I started as a care worker {few} years ago and now I am
                training as a nursing associate.
            staff, a care worker | Practising in the simulation room meant I did not freeze when it
                happened for real.
            family | You can tell the staff know what they are doing.
            staff, a new care worker | {lead_name} showed me on shift, not on a screen, and that is
                why it stuck.
        """,
        leads="""
            practice educator
            training lead
            clinical lead
        """,
        partners="""
            the local college
            the hospital's education team
            Skills for Care
        """,
    ),
    "workforce-recruitment-and-retention": dict(
        key_questions="well-led 4, safe 3, caring 1, responsive 1",
        statements="""
            safe-and-effective-staffing workforce-wellbeing-and-enablement
                capable-compassionate-and-inclusive-leaders
            governance-management-and-sustainability shared-direction-and-culture
        """,
        services="homecare 1.6, nursing-home 1.2, shared-lives 0.5",
        topics="""
            care worker turnover
            weekend rota gaps
            agency use
            new starters leaving in the first months
            international recruitment
            recruiting in rural areas
        """,
        goals="""
            keep new care workers past their first six months
            stop relying on agency staff
            fill weekend shifts
        """,
        problems="""
            care workers leaving within their first six months
            rota gaps at weekends and over the school holidays
            heavy reliance on agency staff
            vacancies we could not fill for months
            sickness absence that left the rota stretched
        """,
        causes="""
            {pct} of leavers gave unpredictable hours or unpaid travel time as their reason for
                going
            new starters were shadowing whoever was on shift and often felt thrown in
            our pay was {count}p an hour below the local supermarket
            weekend shifts fell on the same small group of people
            interviews took {weeks} weeks to arrange, and good candidates accepted other jobs first
        """,
        impacts="""
            People we support were seeing unfamiliar faces, and continuity suffered
            The registered manager was covering shifts most weekends
            Agency spending had reached {count}% of the staffing budget
        """,
        actions="""
            workforce-model: guaranteed hours contracts | offered every care worker a guaranteed
                hours contract, with paid travel time
            workforce-model: a weekend team | created a weekend team on enhanced pay, recruited from
                students and people with weekday jobs
            workforce-model: self-rostering | introduced self-rostering, so that staff choose their
                shifts within agreed rules
            workforce-model: an internal staff bank | set up an internal bank of {count} staff
                instead of booking agency
            training-programme: a protected, buddy-led induction | introduced an induction of
                {weeks} weeks with a named buddy, protected shadow shifts and the Care Certificate
                done in paid time
            community-partnership: links with the local college | built links with the local college
                and Jobcentre in {town}, with taster days and guaranteed interviews
            co-production: {people} on interview panels | involved {people} on every interview panel
                and asked candidates to spend time with them
            data-and-analytics: a retention dashboard | tracked leavers, their reasons and length of
                service on a monthly retention dashboard
            assistive-technology: electric pool cars | leased {few} electric pool cars so that
                non-drivers could work the rural rounds
            general: stay conversations | held stay conversations at {weeks} weeks, three months and
                six months to ask what would make people stay
            general: a same-week interview promise | promised an interview within a week and a
                decision within {few} days
            general: a wellbeing offer | added an employee assistance line, free meals on shift and
                a hardship fund
        """,
        details="""
            Buddies are paid an extra allowance and have {hours} hours a week set aside for new
                starters.
            We worked out that every leaver cost us around {cost} once advertising, training and
                agency cover were counted.
            The rota is published {weeks} weeks ahead, and staff can swap shifts through the app.
            The {lead} rings every new starter at the end of their first week, and again after
                {weeks} weeks.
            Staff who refer a friend get a bonus of {cost} once the friend completes probation.
        """,
        measures="""
            the share of new starters leaving within six months | 30 | 55 | % | down
            agency hours | 300 | 1400 | a month | down
            the annual staff turnover rate | 30 | 50 | % | down
            unfilled weekend shifts | 10 | 40 | a month | down
        """,
        lessons="""
            Enhanced weekend pay alone did not fill shifts; what worked was a team that chose
                weekends.
            Self-rostering needed clear rules, or the popular shifts went first and the gaps moved
                elsewhere.
            We recruited {few} people in one go and could not induct them all well.
            Exit interviews were too polite to be useful; stay conversations told us much more.
            Guaranteed hours cost more than we planned in the first {months} months, before the
                agency savings came through.
        """,
        resources="""
            paid travel time and guaranteed hours | 15000 | 60000
            buddy allowances | 2000 | 8000
            recruitment advertising and college events | 500 | 3000
            a rostering app licence | 1000 | 4000
        """,
        materials="""
            induction programme
            stay conversation questions
            weekend team job description
        """,
        quotes="""
            staff, a care worker who joined last year | I knew who my buddy was before my first
                shift, and that is why I stayed.
            person | I see the same faces now, and they know how I like things done.
            staff, a care worker | I can fit my shifts around the school run, which I never could
                before.
            staff, a support worker | I was going to leave after {few} weeks. The stay conversation
                changed my mind.
        """,
        leads="""
            registered manager
            recruitment and retention lead
            deputy manager
        """,
        partners="""
            the local college
            the Jobcentre
            the local authority's workforce team
        """,
    ),
    "falls-prevention": dict(
        key_questions="safe 4, effective 3, responsive 1",
        statements="""
            safe-environments involving-people-to-manage-risks learning-culture
            monitoring-and-improving-outcomes delivering-evidence-based-care-and-treatment
        """,
        services="""
            supported-living 0.4, day-service 0.4, shared-lives 0.3, nursing-home 1.3,
                residential-care-home 1.3, extra-care-housing 1.3
        """,
        topics="""
            night-time falls
            falls in the first weeks after admission
            repeat falls
            falls on the way to the toilet
            falls with injury
            confidence after a fall
        """,
        goals="""
            cut unwitnessed falls at night
            keep people walking without more falls
            bring falls with injury down
        """,
        problems="""
            unwitnessed falls at night
            repeat falls among a small group of {people}
            falls in the first month after someone moved in
            {people} falling on the way to the toilet in the early hours
            falls that ended in a hip fracture or a hospital admission
        """,
        causes="""
            most falls happened between 2am and 6am, often within {minutes} minutes of a routine
                check
            {few} {people} accounted for almost half of all falls
            footwear, poor lighting and cluttered rooms came up again and again in the post-fall
                notes
            many of the people who fell had a urine infection, a new medicine or a change in blood
                pressure in the days before
            people who had fallen once were walking less, losing strength and then falling again
        """,
        impacts="""
            Each fall with injury meant a long wait for an ambulance, sometimes for hours on the
                floor
            Families were losing confidence, and some asked for bed rails we did not think were safe
            Staff were anxious on nights and were encouraging people to sit rather than walk
        """,
        actions="""
            acoustic-monitoring: acoustic monitoring | installed acoustic monitoring in every
                {room}, tuned over {weeks} weeks to each person's usual night-time sounds
            assistive-technology: sensor mats and low beds | introduced sensor mats, low beds and
                motion-activated night lights for the {few} people most at risk
            assistive-technology: wearable falls detectors | offered a wearable falls detector,
                linked to the on-call {staff_one}, to anyone who wanted one
            quality-improvement-method: a falls huddle after every fall | held a falls huddle within
                {minutes} minutes of every fall, with whoever was on shift
            quality-improvement-method: plan-do-study-act cycles | ran small plan-do-study-act
                cycles on one {unit} at a time, changing one thing and watching the falls log
            training-programme: strength and balance champions | trained {few} {staff} as strength
                and balance champions with the community physiotherapists
            therapeutic-activity: physiotherapist-led strength and balance classes | started
                physiotherapist-led strength and balance classes {freq}, seated and standing
            environment-design: better lighting and contrast | fitted warm night lighting from bed
                to toilet, and contrasting toilet seats and grab rails
            data-and-analytics: a monthly falls dashboard | built a simple monthly falls dashboard
                showing the time, place and injury of every fall
            digital-care-planning: falls risk in the digital care plan | moved falls risk
                assessments into the digital care plan, so that every change prompted a review
            general: medicine reviews after repeat falls | agreed with the GP a medicine review for
                anyone who fell twice in {months} months
            general: timed drink and toilet offers | timed a drink and toilet offer to each person's
                usual waking pattern
            general: well-fitting footwear | checked everyone's footwear with families and replaced
                {count} pairs of worn or loose slippers
            general: lying and standing blood pressure checks | added lying and standing blood
                pressure checks to every falls assessment
        """,
        details="""
            The huddle takes no more than {minutes} minutes and asks three questions: what happened,
                why, and what will we change?
            Anyone who fell was seen by the {lead} within {hours} hours, and their care plan was
                updated the same day.
            Night staff reviewed the falls log with the {lead} every {day}, looking for times and
                places that repeated.
            Where someone had capacity and chose to walk alone at night, we recorded the decision
                and planned around it; {few} people made that choice.
            Classes run for {minutes} minutes, and {count} people now come most weeks.
        """,
        measures="""
            falls | 8 | 30 | a month | down
            unwitnessed falls at night | 5 | 18 | a quarter | down
            falls with injury | 3 | 9 | a quarter | down
            hospital admissions after a fall | 4 | 12 | a year | down
            the share of {people} who fell more than once in a quarter | 12 | 35 | % | down
        """,
        lessons="""
            Our first sensor thresholds were far too sensitive and night staff got dozens of alerts
                a night; tuning each profile took about {weeks} weeks.
            Sensor mats are not a falls plan on their own: without the review after each fall,
                nothing changed.
            Some {people} found the classes too easy and some too hard, so we split them into seated
                and standing groups.
            We were slow to involve night staff, and the first version of the plan did not work at
                3am.
            Families worried that letting people walk meant accepting falls; a conversation at the
                first review helped more than any leaflet.
        """,
        resources="""
            acoustic monitoring for every room | 9000 | 22000
            sensor mats, low beds and night lights | 1500 | 6000
            physiotherapist time for classes | 1200 | 4000
            new footwear and grip socks | 150 | 600
        """,
        materials="""
            post-fall huddle form
            falls risk care plan section
            night falls review template
        """,
        quotes="""
            staff, a night care worker | I used to dread nights because of the falls; now we know
                who needs us and why.
            person | I can get up in the night without someone checking on me every hour, and I
                sleep better for it.
            family | {parent} is walking to the dining room again, which we had given up on.
            staff, a senior care worker | The huddle takes {minutes} minutes and we always come away
                with something to change.
        """,
        leads="""
            falls champion
            physiotherapist
            night team leader
        """,
        partners="""
            the community physiotherapy team
            the local falls prevention service
            our GP practice
        """,
    ),
    "end-of-life-care": dict(
        key_questions="caring 4, responsive 4, effective 2",
        statements="""
            planning-for-the-future kindness-compassion-and-dignity
                care-provision-integration-and-continuity
            how-staff-teams-and-services-work-together treating-people-as-individuals
        """,
        services="""
            nursing-home 1.6, residential-care-home 1.2, day-service 0.2, supported-living 0.3,
                shared-lives 0.2, extra-care-housing 0.8
        """,
        topics="""
            dying in the place people choose
            advance care planning
            end of life care at home
            care after death
            support for families after a death
            anticipatory medicines
        """,
        goals="""
            help people die where they choose
            talk about dying before a crisis
            avoid unwanted hospital admissions at the end of life
        """,
        problems="""
            {people} admitted to hospital in their last days against their wishes
            advance care plans missing or written too late
            delays getting anticipatory medicines out of hours
            families feeling unsupported after a death
            staff feeling unprepared to talk about dying
        """,
        causes="""
            only {pct} of {people} had an advance care plan, and most of those were written in the
                last week of life
            out-of-hours GPs did not know our {people} and called an ambulance to be safe
            staff avoided conversations about dying because they were worried about upsetting people
            anticipatory medicines were often not prescribed until someone was already in pain
            bereavement support stopped the day after the funeral
        """,
        impacts="""
            Several people died in hospital corridors rather than at home
            Relatives told us they had no idea what was happening in the last days
            Care workers were grieving without any support
        """,
        actions="""
            community-partnership: a partnership with the local hospice | agreed a partnership with
                the local hospice, with a named nurse, monthly case reviews and an advice line
            training-programme: end of life training with the hospice | trained {count} staff
                through the hospice's end of life programme, including how to start difficult
                conversations
            digital-care-planning: ReSPECT forms in the digital care record | recorded ReSPECT forms
                and advance care plans in the digital care record, where out-of-hours services can
                see them
            workforce-model: end of life champions | made {few} {staff} end of life champions, with
                protected time to support colleagues and families
            remote-health-monitoring: video consultations with the hospice | set up video calls with
                the hospice team so that symptoms could be reviewed the same day
            co-production: conversations about what matters | held unhurried conversations with each
                {person} and their family about what matters to them, long before the last weeks
            general: anticipatory medicines in advance | agreed with the GP that anticipatory
                medicines are prescribed as soon as someone enters the last months of life
            general: a remembrance service | held a remembrance service twice a year for families,
                staff and {people}
            general: a care after death procedure | wrote a care after death procedure with
                families, including a guard of honour when someone leaves for the last time
            general: comfort boxes for families | put together comfort boxes with a fold-out bed,
                toiletries and snacks so that families can stay overnight
        """,
        details="""
            Conversations start with what the person knows about their illness and what they are
                hoping for, not with a form; most take {few} visits.
            The hospice nurse joins our clinical review every {day} to talk through anyone whose
                needs are changing.
            Families are offered a call from the {lead} {weeks} weeks after a death, and again at
                six months.
            Staff can take time out after a death and talk it through with the {lead}; {count} did
                so in the first year.
            We use the Gold Standards Framework to identify people who may be in their last year of
                life, and review the register every {months} months.
        """,
        measures="""
            the share of {people} who died in their preferred place | 40 | 65 | % | up
            hospital admissions in the last month of life | 5 | 16 | a year | down
            the share of {people} with an advance care plan | 20 | 50 | % | up
            the average family rating of end of life care | 6.0 | 7.8 | out of 10 | up
        """,
        lessons="""
            We started conversations too late at first; now we raise them at the first review after
                someone joins us.
            A form is not a plan: some early ReSPECT forms were completed without the person really
                being asked.
            Out-of-hours services still could not always see our plans, so we send a copy with
                anyone who goes to hospital.
            Night staff needed the training as much as day staff, and we left them out of the first
                {few} sessions.
            Some families did not want to talk about dying, and we learnt to go at their pace.
        """,
        resources="""
            hospice training places | 0 | 1500
            fold-out beds and comfort boxes | 300 | 1200
            protected champion time | 2000 | 6000
        """,
        materials="""
            advance care planning conversation guide
            care after death procedure
            family information leaflet
        """,
        quotes="""
            family | They let us stay with {parent} all night and brought us tea at 4am. We will
                never forget it.
            person | I know what I want at the end, and I know they have written it down.
            staff, a care worker | I am not frightened of the conversation any more. It is part of
                caring for someone.
            staff, a nurse | In {few} years of nursing I have never felt so prepared for a death.
        """,
        leads="""
            end of life champion
            clinical lead
            deputy manager
        """,
        partners="""
            the local hospice
            the district nursing team
            the out-of-hours GP service
        """,
    ),
    "medicines-management": dict(
        key_questions="safe 5, effective 2, well-led 1",
        statements="""
            medicines-optimisation learning-culture safe-systems-pathways-and-transitions
            governance-management-and-sustainability
        """,
        services="""
            nursing-home 1.5, residential-care-home 1.2, homecare 1.2, day-service 0.2, shared-lives
                0.4
        """,
        topics="""
            medication errors
            moving from paper MAR charts to eMAR
            'as required' medicines
            time-critical medicines
            medicines after a hospital stay
            covert medication
        """,
        goals="""
            cut medication errors
            make medicines safe after discharge
            give time-critical medicines on time
        """,
        problems="""
            medication errors and missed doses on the morning round
            late doses of time-critical medicines for Parkinson's
            discrepancies between hospital discharge letters and what arrived
            'as required' medicines given without a clear reason
            medicines rounds that took most of the morning
        """,
        causes="""
            the morning round took nearly {hours} hours, and the interruptions were constant
            paper MAR charts were handwritten after hospital stays and transcription errors crept in
            {few} of the errors in a quarter involved medicines with similar names or packaging
            'as required' protocols were missing or vague for {pct} of prescriptions
            nobody owned the check between the discharge letter and the pharmacy delivery
        """,
        impacts="""
            One person missed {few} doses of an anticoagulant after a hospital stay
            Staff were anxious about making mistakes, and some avoided the round
            The pharmacist's audit found the same problems quarter after quarter
        """,
        actions="""
            digital-care-planning: an electronic medicines record | moved from paper MAR charts to
                an electronic medicines administration record with barcode scanning
            training-programme: annual competency checks | introduced an observed competency check
                every year for everyone who gives medicines, led by the {lead}
            workforce-model: a medicines lead role | created a medicines lead role with {hours}
                hours a week protected for audits, ordering and discharge checks
            data-and-analytics: weekly error reports | reviewed weekly reports of late and missed
                doses from the eMAR, looking for patterns by time of day
            quality-improvement-method: 'do not disturb' tabards | introduced red 'do not disturb'
                tabards on the round and moved it away from mealtimes
            quality-improvement-method: a discharge reconciliation check | added a two-person check
                of every discharge letter against the pharmacy delivery before the first dose
            remote-health-monitoring: remote pharmacist reviews | arranged remote medicine reviews
                with the primary care network pharmacist {freq}
            general: clear 'as required' protocols | wrote an 'as required' protocol for every such
                medicine: when to offer it, how much, and what to try first
            general: self-administration where people want it | supported {few} {people} to manage
                their own medicines again, with a risk assessment and a locked drawer
            general: timed alerts for time-critical medicines | set timed alerts for Parkinson's and
                other time-critical medicines, given within {minutes} minutes
        """,
        details="""
            The pharmacy visited {freq} for the first {weeks} weeks to help staff with the new
                system.
            Each error now gets a short, blame-free review with the member of staff involved and the
                {lead}, within {few} days.
            Rounds are staggered so that nobody is given breakfast medicines at 11am; the longest
                now takes about {minutes} minutes less.
            We check every person's medicines against the GP record after any hospital stay, before
                the first dose; {count} discrepancies were caught in the first year.
            Covert administration is only ever agreed through a best interests decision with the GP
                and pharmacist, and reviewed every {months} months.
        """,
        measures="""
            medication errors | 8 | 30 | a quarter | down
            missed or late doses | 20 | 80 | a month | down
            the average length of the morning medicines round | 110 | 160 | minutes | down
            the share of 'as required' medicines with a written protocol | 30 | 60 | % | up
        """,
        lessons="""
            We went live with eMAR on a weekend and regretted it; changes now happen on a weekday,
                with the supplier on hand.
            Scanning is only as good as the stock list, and we spent {weeks} weeks cleaning up the
                pharmacy's product codes.
            The tabards felt silly to some staff at first, but visitors and colleagues soon learnt
                what they meant.
            Paper back-up charts are still needed when the Wi-Fi fails, and we practise using them
                every {months} months.
            Blaming individuals for errors drove reporting down; it went back up once reviews were
                blame-free.
        """,
        resources="""
            the eMAR licence and set-up | 2500 | 9000
            tablets and barcode scanners | 800 | 3000
            medicines lead time | 3000 | 8000
            tabards and trolley changes | 100 | 600
        """,
        materials="""
            'as required' protocol template
            discharge reconciliation checklist
            medicines competency assessment
        """,
        quotes="""
            staff, a senior care worker | I feel safer on the round now. The system tells me if
                something is wrong before I give it.
            person | My Parkinson's tablets come on time now, and it makes all the difference to my
                mornings.
            family | {parent} came home from hospital and the medicines were right first time.
            staff, a nurse | We caught {few} discharge errors in the first month alone.
        """,
        leads="""
            medicines lead
            deputy manager
            clinical lead
        """,
        partners="""
            the community pharmacy
            the primary care network pharmacist
            the hospital discharge team
        """,
    ),
    "family-and-carer-involvement": dict(
        key_questions="responsive 4, caring 3, well-led 1",
        statements="""
            listening-to-and-involving-people providing-information kindness-compassion-and-dignity
            person-centred-care care-provision-integration-and-continuity
        """,
        topics="""
            relatives as partners in care
            open visiting
            support for unpaid carers
            family care reviews
            keeping families informed
        """,
        goals="""
            make families partners in care
            support unpaid carers
            keep families informed
        """,
        problems="""
            relatives who felt shut out of decisions
            complaints about poor communication with families
            unpaid carers close to breaking point
            restricted visiting long after the pandemic
            families unsure who to talk to
        """,
        causes="""
            families were told about changes after the event, if at all
            visiting was still limited to set hours
            unpaid carers had not had a break in months
            there was no named contact for each family
            {pct} of complaints in the year were about communication
        """,
        impacts="""
            Trust between families and staff had worn thin
            Some families visited less, and people missed them
            Carers were ringing the office several times a day
        """,
        actions="""
            co-production: partners-in-care agreements | offered every family a partners-in-care
                agreement setting out what they want to be involved in
            co-production: a relatives' group | set up a relatives' group that meets the manager
                {freq}
            digital-care-planning: a family app | gave families access to an app with daily updates,
                with the person's consent
            community-partnership: support from the carers' centre | worked with the carers' centre
                in {town} to offer carers' assessments and breaks
            training-programme: training for families | offered families {few} sessions on dementia,
                moving and handling and end of life care
            general: open visiting | returned to open visiting, at any time of day
            general: a named keyworker for each family | gave each family a named keyworker who
                calls {freq}
            general: family care reviews | invited families to care reviews at times that suit them,
                including evenings
            general: a welcome pack for families | wrote a welcome pack for families with who is who
                and how to raise a concern
        """,
        details="""
            Families can stay for meals and join in activities, and {count} did so in the first
                month.
            The {lead} calls every family within {few} days of any change in someone's care.
            People decide with us what their families can see in the app, and review it every
                {months} months.
            Carers' breaks are planned {months} months ahead, so that carers can book things.
            The relatives' group sets its own agenda, and we report back on every action at the next
                meeting.
        """,
        measures="""
            complaints about communication | 6 | 15 | a year | down
            the share of families who felt involved in decisions | 40 | 60 | % | up
            unpaid carers supported with a break | 4 | 12 | a quarter | up
            the average family satisfaction score | 6.5 | 7.8 | out of 10 | up
        """,
        lessons="""
            Some people did not want their families told everything, and we had to respect that.
            The family app worked for most families but not all; {few} still want a phone call.
            Open visiting needed a few simple rules about mealtimes and protected time.
            Relatives' meetings became complaint sessions until they had a clear agenda.
            We underestimated how much carers needed to talk, not just to have a break.
        """,
        resources="""
            a family app licence | 600 | 2500
            carers' breaks | 2000 | 8000
            welcome packs | 100 | 500
        """,
        materials="""
            partners-in-care agreement
            family welcome pack
            relatives' group terms of reference
        """,
        quotes="""
            family | We are part of {parent}'s care now, not visitors.
            family | I can pop in whenever I like. It feels like {parent}'s home.
            staff, a deputy manager | Families are the experts on the person. We would be lost
                without them.
            family | {lead_name} rings me every {day}, so I do not lie awake worrying.
        """,
        leads="""
            family liaison lead
            deputy manager
            registered manager
        """,
        partners="""
            the local carers' centre
            the Alzheimer's Society
            the local authority
        """,
    ),
    "health-and-care-integration": dict(
        key_questions="effective 4, responsive 3, safe 2",
        statements="""
            how-staff-teams-and-services-work-together care-provision-integration-and-continuity
                safe-systems-pathways-and-transitions
            supporting-people-to-live-healthier-lives partnerships-and-communities
        """,
        services="homecare 1.5, nursing-home 1.4",
        topics="""
            hospital discharge
            avoiding hospital admissions
            spotting deterioration early
            working with the GP practice
            a bridging service
            virtual wards
        """,
        goals="""
            get people home from hospital sooner
            avoid hospital admissions that nobody wanted
            spot deterioration before it becomes an emergency
        """,
        problems="""
            {people} waiting in hospital for care to start
            avoidable hospital admissions
            deterioration noticed too late
            poor communication with GPs and district nurses
            unsafe discharges late on a Friday
        """,
        causes="""
            people were waiting an average of {few} days in hospital for a care package
            staff noticed when someone was 'not themselves' but had no way to describe it to the GP
            out-of-hours calls went to 111, who sent an ambulance to be safe
            discharge letters arrived days after the person did
            we worked with {few} GP practices, each with its own ways
        """,
        impacts="""
            People lost strength and confidence during long hospital stays
            Ambulance waits left people on the floor for hours
            Nobody owned the person's care across the boundary
        """,
        actions="""
            remote-health-monitoring: remote monitoring of vital signs | started recording vital
                signs on tablets that the GP practice and community matron can see
            remote-health-monitoring: NEWS2 observations | trained staff to take NEWS2 observations
                and share them with the GP
            community-partnership: a bridging team with the NHS | set up a bridging team with the
                NHS to start care within 24 hours of discharge
            community-partnership: a weekly GP ward round | agreed a weekly ward round with one
                named GP practice, every {day}
            training-programme: soft signs training | trained {count} staff to spot and record soft
                signs of deterioration using a simple tool
            workforce-model: a trusted assessor | had our own trusted assessor assess people on the
                ward, so they did not wait for us to visit
            digital-care-planning: shared care records | connected our digital care record to the
                local shared care record
            data-and-analytics: tracking every admission | tracked every hospital admission and A&E
                attendance to see which could have been avoided
            general: a discharge checklist | wrote a discharge checklist with the hospital covering
                medicines, equipment and who to call
            general: a red bag scheme | joined the red bag scheme, so that medicines, paperwork and
                belongings go to hospital and back with the person
        """,
        details="""
            The GP ward round starts with anyone the {lead} is worried about.
            Calls about soft signs use SBARD, so the GP hears what they need in the first minute;
                the {lead} coached {count} staff in it.
            The bridging team makes up to {few} visits a day and hands over to a long-term care
                worker after {weeks} weeks.
            We review every admission at the monthly clinical meeting and ask whether it could have
                been avoided.
            Our staff can phone the community matron directly, and did so {count} times in the first
                {months} months.
        """,
        measures="""
            unplanned hospital admissions | 8 | 25 | a quarter | down
            the average wait for care after discharge | 5 | 12 | days | down
            ambulance call-outs | 10 | 30 | a quarter | down
            the share of discharges with medicines right first time | 50 | 70 | % | up
        """,
        lessons="""
            The first tablets sat unused until we made observations part of the routine, not an
                extra.
            Sharing records took {months} months of information governance work before anything
                could be switched on.
            Friday discharges still go wrong sometimes; we now ask for them before 2pm.
            We overestimated how many people the bridging team could take in its first month.
            GPs were sceptical of our observations until we showed them {months} months of data.
        """,
        resources="""
            tablets and observation kits | 800 | 3500
            trusted assessor hours | 4000 | 15000
            staff training time | 1000 | 4000
        """,
        materials="""
            soft signs tool
            discharge checklist
            SBARD prompt card
        """,
        quotes="""
            person | I was home the day after they said I was fit, which I did not expect.
            partner, a GP at the local practice | The home calls us earlier now, and usually we can
                sort it out there.
            staff, a senior care worker | I feel listened to when I ring the surgery now.
            family | {parent} stayed out of hospital all winter for the first time in years.
        """,
        leads="""
            clinical lead
            care coordinator
            deputy manager
        """,
        partners="""
            the community matron
            the hospital discharge team
            the integrated care board
        """,
    ),
    "nutrition-and-hydration": dict(
        key_questions="effective 4, safe 2, caring 1",
        statements="""
            supporting-people-to-live-healthier-lives assessing-needs
                delivering-evidence-based-care-and-treatment
            monitoring-and-improving-outcomes treating-people-as-individuals
        """,
        services="day-service 0.5, supported-living 0.6, shared-lives 0.4",
        topics="""
            unplanned weight loss
            hydration
            texture-modified diets
            the dining experience
            fortified food
            urine infections and hydration
        """,
        goals="""
            stop unplanned weight loss
            help people drink more
            make mealtimes something to look forward to
        """,
        problems="""
            unplanned weight loss among {people}
            dehydration and urine infections
            {people} on pureed diets losing interest in food
            rushed mealtimes with little choice
            MUST scores that were recorded but not acted on
        """,
        causes="""
            {few} {people} had lost more than 5% of their body weight in {months} months
            drinks were offered at set rounds and often left untouched
            food charts were filled in at the end of the shift from memory
            pureed meals all looked the same, and people did not know what they were eating
            people living with dementia were not recognising food on a busy plate
        """,
        impacts="""
            {few} people were admitted to hospital with dehydration
            Pressure damage followed the weight loss
            Families were bringing in food because they were worried
        """,
        actions="""
            quality-improvement-method: hydration rounds | introduced hydration rounds {freq} with a
                choice of drinks, jellies and ice lollies
            quality-improvement-method: MUST screening that leads to action | linked every MUST
                score to a clear action, from fortified snacks to a dietitian referral
            environment-design: a restaurant-style dining room | changed the dining room to small
                tables, coloured plates and a menu people can see and smell
            training-programme: IDDSI training | trained every {staff_one} and the kitchen team in
                the IDDSI framework and safe swallowing
            data-and-analytics: weekly weights on a dashboard | tracked weights weekly on a
                dashboard that flags any loss over 2%
            therapeutic-activity: cooking together | held cooking sessions {freq} where {people}
                help prepare their own meals
            assistive-technology: smart drinking cups | trialled smart cups that record how much
                someone drinks and light up as a reminder
            general: moulded pureed food | started serving pureed food moulded into recognisable
                shapes
            general: snack stations | put snack and drink stations in every lounge, open to anyone
                at any time
            general: finger food menus | introduced finger food menus for people who find cutlery
                hard
        """,
        details="""
            The cook attends the daily meeting and hears about anyone whose appetite has changed;
                {few} menus were changed in the first month.
            Every {person} at risk has their favourite drinks in their plan, such as warm squash or
                milky coffee.
            Staff sit and eat with people at lunchtime, which encourages people to eat more; {few}
                staff do it each day.
            We weigh people at the same time of day, on the same scales, every {day}.
            The dietitian reviews anyone flagged by the dashboard within {few} days.
        """,
        measures="""
            the number of {people} with unplanned weight loss | 6 | 15 |  | down
            urine infections | 5 | 15 | a quarter | down
            the average daily fluid intake | 900 | 1200 | ml | up
            hospital admissions for dehydration | 3 | 8 | a year | down
        """,
        lessons="""
            Food charts filled in afterwards were useless; recording at the table took {weeks} weeks
                of practice.
            Smart cups were expensive and some people would not use them, so we kept them for a few.
            We stopped routine dipstick tests for urine infections; they led to antibiotics people
                did not need.
            Fortified food helped only when it was something people liked.
            Changing the dining room upset some people at first, so we moved one table at a time.
        """,
        resources="""
            moulds and kitchen equipment | 300 | 1500
            coloured crockery and tableware | 300 | 1200
            smart cups | 1000 | 4000
            dietitian sessions | 0 | 2000
        """,
        materials="""
            hydration round checklist
            MUST action plan
            finger food menu
        """,
        quotes="""
            person | I can see what I am eating again. It makes me want it.
            family | {parent} has put on weight for the first time in a year.
            staff, a care worker | Sitting with people at lunch changed everything. They eat more
                when someone eats with them.
            staff, a cook | The jelly drops on the {unit} go in minutes on a hot afternoon.
        """,
        leads="""
            nutrition champion
            head cook
            clinical lead
        """,
        partners="""
            the community dietitian
            the speech and language therapy team
            our GP practice
        """,
    ),
    "learning-disability-and-autism": dict(
        key_questions="safe 2, effective 3, caring 3, responsive 3",
        statements="""
            independence-choice-and-control equity-in-access
                supporting-people-to-live-healthier-lives
            person-centred-care involving-people-to-manage-risks
                safe-systems-pathways-and-transitions
        """,
        services="""
            supported-living 4.0, shared-lives 3.5, day-service 2.5, residential-care-home 0.5,
                nursing-home 0.2, homecare 0.5, extra-care-housing 0.2
        """,
        topics="""
            stopping over-medication (STOMP)
            positive behaviour support
            sensory needs of autistic people
            annual health checks
            moving into supported living
            paid work and volunteering
        """,
        goals="""
            reduce psychotropic medicines
            make homes calmer for autistic people
            support people into work
        """,
        problems="""
            people prescribed psychotropic medicines without a clear reason
            distress linked to noise, light and unpredictable routines
            low uptake of annual health checks
            few people in work or volunteering
            moves from children's services that went badly
        """,
        causes="""
            {few} of the people we support were on antipsychotics with no diagnosis of psychosis
            houses were noisy, with shared spaces and frequent staff changes
            only {pct} of the {people} had had an annual health check in the last year
            staff did not know how to support people to find work
            planning for moving on started weeks, not months, before
        """,
        impacts="""
            People were living with side effects such as weight gain and drowsiness
            Placements broke down, and people moved away from their families
            People's lives were smaller than they wanted them to be
        """,
        actions="""
            quality-improvement-method: STOMP medicine reviews | reviewed every psychotropic
                prescription with the GP and psychiatrist under STOMP
            training-programme: positive behaviour support | trained everyone in positive behaviour
                support and wrote a PBS plan with each person
            training-programme: Oliver McGowan training | put every {staff_one} through the Oliver
                McGowan Mandatory Training
            environment-design: sensory-friendly homes | made homes sensory-friendly, with soft
                lighting, quiet spaces and fewer people in the kitchen at once
            co-production: person-led transition planning | started transition planning at 16 with
                the person, their family and children's services
            community-partnership: supported employment | worked with a supported employment service
                and {few} local businesses in {town} to create work placements
            assistive-technology: visual schedules on tablets | used visual schedules and
                communication apps on tablets
            workforce-model: small, consistent teams | matched each person with a small, consistent
                team chosen with them
            general: health action plans | wrote health action plans and supported people to their
                annual health check
            general: hospital passports | made a hospital passport with everyone, reviewed every
                {months} months
        """,
        details="""
            Reductions go slowly, one medicine at a time, with the person's views at the centre;
                each takes around {months} months.
            Each PBS plan is reviewed every {months} months, or sooner after any incident.
            Staff use each person's own way of communicating, from Makaton to photos, and the {lead}
                checks it is in the plan.
            The {lead} meets families {freq} during a move to keep everyone informed.
            Rotas are shared {few} days in advance, in pictures, so that people know who is coming.
        """,
        measures="""
            the number of people on psychotropic medicines without a clear reason | 5 | 12 |  | down
            incidents of distress | 20 | 60 | a month | down
            the share of people with an annual health check | 35 | 60 | % | up
            the number of people in paid work or volunteering | 1 | 5 |  | up
        """,
        lessons="""
            We reduced a medicine too quickly for one person and had to slow down.
            Sensory changes helped most when people chose them themselves.
            Employers needed more support than we expected, especially in the first {weeks} weeks.
            Transitions still depend on good information from children's services, which is not
                always there.
            Some families were nervous about reducing medicines and needed to see the evidence
                first.
        """,
        resources="""
            sensory equipment and lighting | 1000 | 5000
            PBS training | 2000 | 8000
            tablets and communication apps | 400 | 2000
        """,
        materials="""
            PBS plan template
            transition planning checklist
            health action plan template
        """,
        quotes="""
            person | I have a job at the garden centre. I get paid.
            family | It is calmer at home than we have seen in years.
            staff, a support worker | We stopped asking how to manage behaviour and started asking
                what the person needs.
            person | I choose who supports me. I picked {lead_name}.
        """,
        leads="""
            positive behaviour support practitioner
            team leader
            learning disability nurse
        """,
        partners="""
            the community learning disability team
            the supported employment service
            children's services
        """,
    ),
    "co-production-and-involvement": dict(
        key_questions="responsive 4, well-led 3, caring 2",
        statements="""
            listening-to-and-involving-people independence-choice-and-control
                shared-direction-and-culture
            providing-information partnerships-and-communities
        """,
        services="""
            supported-living 1.8, shared-lives 1.3, day-service 1.4, nursing-home 0.6
        """,
        topics="""
            people on interview panels
            co-produced care plans
            a residents' and tenants' council
            co-designing the service
            experts by experience
        """,
        goals="""
            share power with the people we support
            design the service with the people who use it
            give people a real say
        """,
        problems="""
            involvement that was limited to a yearly questionnaire
            decisions about the service made without the people who live with them
            {people}'s meetings that nobody came to
            feedback collected but never acted on
            people with communication needs left out of decisions
        """,
        causes="""
            our questionnaire had a response rate of {pct}
            meetings were held at times and in ways that suited staff
            information was written in ways that many people could not use
            people told us they did not think their views changed anything
            only {few} people regularly came to meetings
        """,
        impacts="""
            Changes to the service were resented rather than welcomed
            People felt the service was done to them
            We were missing ideas that would have saved us time and money
        """,
        actions="""
            co-production: places for {people} on interview panels | trained {few} {people} to sit
                on interview panels, with an equal say in who we appoint
            co-production: a co-production group | set up a co-production group that meets {freq},
                with its own budget
            co-production: paid experts by experience | paid experts by experience to review our
                policies and audits
            co-production: co-designed menus and activities | designed menus and the activity
                programme with {people} every season
            training-programme: co-delivered training | had {people} co-deliver part of our
                induction training
            assistive-technology: accessible feedback | introduced easy read, pictures and video
                feedback so that everyone can take part
            community-partnership: a link with a self-advocacy group | worked with a self-advocacy
                group in {town} to run our feedback sessions
            general: 'you said, we did' | published what changed as a result of feedback every month
            general: payment for people's time | paid people for their time and expenses when they
                help shape the service
        """,
        details="""
            The group chooses its own agenda, and managers attend only when invited.
            Panel members ask their own questions, and their scores count the same as ours; {count}
                interviews have had a panel member so far.
            We meet at a time the group chooses, with food and transport provided, every {day}.
            Every suggestion gets a written reply within {weeks} weeks.
            The {lead} helps members prepare before each meeting, usually for {minutes} minutes.
        """,
        measures="""
            the share of {people} who felt their views made a difference | 25 | 50 | % | up
            suggestions put into practice | 2 | 8 | a year | up
            the share of new staff still with us after a year | 50 | 70 | % | up
            people taking part in feedback | 6 | 20 | a quarter | up
        """,
        lessons="""
            We underestimated how much support people needed to take part, especially in their first
                {few} meetings.
            Tokenism is easy: one person on a panel is not co-production.
            Some staff felt threatened when {people} scored candidates; seeing the results won them
                round.
            Easy read takes longer to write than you think.
            We paid people late at first, which undermined trust.
        """,
        resources="""
            payments for experts by experience | 1000 | 5000
            easy read and accessible materials | 300 | 1500
            a co-production group budget | 500 | 2500
        """,
        materials="""
            panel member training pack
            easy read feedback form
            co-production group terms of reference
        """,
        quotes="""
            person | I asked the questions at the interview. I picked my own support worker.
            person | They listen now. Things actually change.
            staff, a team leader | The people we support spot things in interviews that we miss.
            staff, a service manager | We changed {few} policies because of what the group said.
        """,
        leads="""
            co-production lead
            team leader
            involvement coordinator
        """,
        partners="""
            the local self-advocacy group
            Healthwatch
            the local authority's commissioning team
        """,
    ),
    "safeguarding": dict(
        key_questions="safe 5, effective 2, caring 1",
        statements="""
            safeguarding involving-people-to-manage-risks consent-to-care-and-treatment
            independence-choice-and-control
        """,
        services="supported-living 1.5",
        topics="""
            restrictive practice
            the Mental Capacity Act in practice
            financial abuse
            DoLS authorisations
            raising safeguarding concerns
            positive risk-taking
        """,
        goals="""
            reduce restrictive practice
            make the Mental Capacity Act real
            keep people safe without taking away their freedom
        """,
        problems="""
            high use of restrictive practices, including restraint
            capacity assessments that were generic rather than decision-specific
            financial abuse by people outside the service
            DoLS authorisations that lapsed without anyone noticing
            safeguarding concerns raised late or not at all
        """,
        causes="""
            capacity assessments were done once, at admission, for 'everything'
            {few} people had restrictions in place that nobody could explain
            staff were unsure when a concern should be raised
            DoLS expiry dates were held on a spreadsheet that one person kept
            people's money was managed informally by staff, with no records
        """,
        impacts="""
            People had lost freedoms they had every right to
            A local authority audit found gaps in our records
            Staff were unsure of their legal position and defaulted to caution
        """,
        actions="""
            training-programme: practical Mental Capacity Act workshops | replaced e-learning with
                practical Mental Capacity Act workshops built around real decisions
            training-programme: positive behaviour support training | trained every {staff_one} in
                positive behaviour support over {weeks} weeks
            data-and-analytics: a DoLS tracker | built a DoLS tracker with reminders {weeks} weeks
                before every expiry
            data-and-analytics: restrictive practice reporting | recorded every restrictive practice
                and reviewed them monthly
            digital-care-planning: decision-specific assessments in the care record | set up
                decision-specific capacity assessment forms in the digital care record
            quality-improvement-method: a restraint reduction plan | wrote a restraint reduction
                plan with clear targets, reviewed monthly
            co-production: positive risk-taking plans | agreed positive risk-taking plans with
                people, their families and advocates
            general: safeguarding champions | appointed safeguarding champions on every shift
            general: clear procedures for people's money | introduced clear procedures for handling
                people's money, with receipts and two signatures
            general: advocacy for everyone who needs it | referred {few} people to an independent
                advocate
        """,
        details="""
            Every restriction now has a written reason, a review date and a plan to reduce it;
                {count} have been lifted.
            Capacity assessments are about one decision at one time, and record what we did to help
                the person decide.
            The {lead} checks the tracker {freq} and chases any application close to expiry.
            Staff know they can raise a concern directly with the local authority, and {few} did so
                in the first year.
            We hold a debrief after any use of restraint, within {hours} hours, with the person
                where they want one.
        """,
        measures="""
            uses of physical restraint | 8 | 30 | a month | down
            the share of capacity assessments that were decision-specific | 20 | 45 | % | up
            expired DoLS authorisations | 3 | 8 | a year | down
            the share of safeguarding concerns raised within 24 hours | 40 | 65 | % | up
        """,
        lessons="""
            Reducing restraint took months, and there were setbacks whenever staff changed.
            Some families wanted more restrictions, not fewer, and needed time and information.
            Generic training did not change practice; working through real decisions did.
            The tracker only worked once two people, not one, were responsible for it.
            We learnt to ask the person first, even when we doubted their capacity.
        """,
        resources="""
            Mental Capacity Act and PBS training | 1500 | 6000
            staff time for reviews | 1500 | 5000
        """,
        materials="""
            decision-specific capacity assessment form
            DoLS tracker
            restrictive practice review template
        """,
        quotes="""
            person | I go to the shop on my own now. I am careful, and they trust me.
            staff, a team leader | We understand the law now, instead of being frightened of it.
            family | They explained every decision and asked what {parent} would have wanted.
            staff, a support worker | Restraint used to happen {times} a week. I cannot remember
                the last time now.
        """,
        leads="""
            safeguarding lead
            positive behaviour support practitioner
            deputy manager
        """,
        partners="""
            the local authority safeguarding team
            the independent advocacy service
            the DoLS team
        """,
    ),
    "mental-health": dict(
        key_questions="caring 3, responsive 3, effective 2, safe 2",
        statements="""
            responding-to-peoples-immediate-needs supporting-people-to-live-healthier-lives
                care-provision-integration-and-continuity
            equity-in-experiences-and-outcomes person-centred-care
        """,
        services="shared-lives 1.6, supported-living 1.6, nursing-home 0.6",
        topics="""
            low mood in later life
            mental health crisis
            loneliness and depression
            serious mental illness and physical health
            recovery in the community
        """,
        goals="""
            notice low mood earlier
            avoid hospital during a mental health crisis
            support recovery in the community
        """,
        problems="""
            low mood and depression going unnoticed
            repeated mental health crises ending in hospital
            social isolation among the {people}
            self-harm without a clear plan
            people with serious mental illness also managing poor physical health
        """,
        causes="""
            staff were focused on tasks and did not feel able to ask about mood
            crisis plans were written by services, not with the person
            physical health checks were missed for people on antipsychotics
            {pct} of the {people} lived alone with little contact
            there was no link with the community mental health team
        """,
        impacts="""
            Some people became very unwell before anyone noticed
            Hospital admissions disrupted people's lives, tenancies and relationships
            Staff felt out of their depth
        """,
        actions="""
            training-programme: mental health first aid | trained {count} staff in mental health
                first aid
            training-programme: wellbeing conversations | trained {staff} to have short wellbeing
                conversations on every visit
            community-partnership: a link with the community mental health team | agreed a named
                link with the community mental health team and a monthly joint meeting
            community-partnership: social prescribing | worked with the social prescriber to connect
                people with groups in {town}
            co-production: recovery plans written by the person | wrote recovery and crisis plans
                with each person, in their own words
            remote-health-monitoring: physical health checks | added physical health checks,
                including blood pressure and weight, for everyone on antipsychotics
            therapeutic-activity: walking groups and an allotment | started walking groups {freq}
                and an allotment project
            workforce-model: peer support workers | employed {few} peer support workers with their
                own lived experience of mental illness
            general: a mood screen at reviews | added the PHQ-9 to reviews, so that low mood is
                picked up early
            general: an out-of-hours line | set up an out-of-hours line staffed by people the person
                already knows
        """,
        details="""
            Crisis plans say what the person notices first, what helps, and who to call; the {lead}
                reviews them every {months} months.
            The {lead} meets the community mental health team {freq} to talk through anyone whose
                mental health is changing.
            Staff ask one open question about mood at every visit and record the answer.
            Peer support workers spend time with people in the first {weeks} weeks after a hospital
                stay.
            People can choose a short stay with us rather than going into hospital, and {few} did in
                the first year.
        """,
        measures="""
            mental health hospital admissions | 4 | 12 | a year | down
            the average PHQ-9 score | 12.0 | 16.0 |  | down
            the share of {people} with an annual physical health check | 30 | 55 | % | up
            crisis calls to 999 or 111 | 10 | 30 | a quarter | down
        """,
        lessons="""
            We assumed people would want group activities; many preferred one-to-one.
            Screening tools helped only when staff knew what to do with the answer.
            Peer support roles needed proper supervision and clear boundaries.
            Crisis plans written too quickly were not used in a crisis.
            We needed more support for staff after difficult situations, and added a debrief within
                {hours} hours.
        """,
        resources="""
            mental health first aid training | 800 | 3000
            peer support worker hours | 6000 | 20000
            activity and allotment costs | 300 | 1500
        """,
        materials="""
            recovery and crisis plan template
            wellbeing conversation guide
            peer support worker role description
        """,
        quotes="""
            person | Someone noticed I was not right before I did.
            family | {parent} stayed out of hospital this winter for the first time in {few} years.
            staff, a peer support worker | Having lived experience myself, I know what it is like to
                be in that place.
            person | The walking group got me out of the flat when nothing else could.
        """,
        leads="""
            mental health lead
            team leader
            peer support worker
        """,
        partners="""
            the community mental health team
            the crisis team
            the social prescriber
        """,
    ),
    "infection-prevention-and-control": dict(
        key_questions="safe 5, effective 1, well-led 1",
        statements="""
            infection-prevention-and-control safe-environments learning-culture
            supporting-people-to-live-healthier-lives
        """,
        services="""
            nursing-home 1.4, residential-care-home 1.3, day-service 0.5, shared-lives 0.3,
                supported-living 0.5
        """,
        topics="""
            outbreaks of norovirus and flu
            hand hygiene
            catheter care
            oral health
            vaccination uptake
            antibiotic use
        """,
        goals="""
            shorten outbreaks
            cut infections without closing the doors
            raise vaccination uptake
        """,
        problems="""
            outbreaks that closed {place} to visitors for weeks
            low flu and COVID-19 vaccination uptake among staff
            repeat urine and chest infections
            poor oral health and mouth care
            staff coming to work unwell because they could not afford not to
        """,
        causes="""
            outbreaks lasted an average of {few} weeks and spread through shared equipment
            staff vaccination uptake was {pct} for flu
            statutory sick pay meant some staff worked when they had symptoms
            mouth care was not in most care plans
            cleaning schedules were written but not checked
        """,
        impacts="""
            Families could not visit for weeks at a time
            Agency use soared during every outbreak
            Chest infections were sending people to hospital
        """,
        actions="""
            training-programme: IPC champions | trained {few} IPC champions with the community
                infection prevention team
            training-programme: oral health champions | made {few} oral health champions responsible
                for mouth care plans and checks
            workforce-model: full sick pay for infection | paid full sick pay to anyone off with
                symptoms of infection
            quality-improvement-method: an outbreak box | put together an outbreak box with PPE,
                signs, swabs and a one-page plan
            quality-improvement-method: hand hygiene audits | ran hand hygiene audits {freq} with
                instant feedback
            community-partnership: on-site vaccination clinics | held vaccination clinics on site
                with the community pharmacy
            environment-design: more handwashing points | added {few} handwashing points and
                sanitiser at every entrance and corridor
            data-and-analytics: an infection tracker | tracked every infection and antibiotic course
                on a monthly tracker
            general: mouth care in every plan | added a mouth care plan for everyone, with the right
                brush and toothpaste
            general: colour-coded cleaning | introduced colour-coded cleaning equipment and checked
                the schedules daily
        """,
        details="""
            The outbreak box is checked every {months} months so that nothing is out of date.
            Champions do {few} spot checks a week and give feedback there and then.
            We ask anyone with new symptoms to stay at home, and we pay them to do so; it cost about
                {cost} in the first year.
            Visiting continues during outbreaks wherever it is safe, with PPE for families.
            The {lead} reviews every antibiotic course with the GP to check it was needed; {few}
                were stopped in the first quarter.
        """,
        measures="""
            days closed to visitors because of outbreaks | 20 | 60 | a year | down
            the staff flu vaccination rate | 30 | 50 | % | up
            antibiotic courses | 10 | 30 | a quarter | down
            chest infections | 6 | 18 | a year | down
        """,
        lessons="""
            Sick pay cost less than the agency cover it saved, but it took a winter to prove it.
            Our first outbreak plan was too long to use in a crisis; it now fits on one page.
            Vaccination clinics worked best at shift change, not in the middle of the day.
            Some {people} refused mouth care until we found out what they had always done.
            Audits without feedback changed nothing for the first {weeks} weeks.
        """,
        resources="""
            the outbreak box | 200 | 800
            full sick pay | 3000 | 12000
            handwashing points | 1500 | 6000
            toothbrushes and oral care products | 200 | 700
        """,
        materials="""
            outbreak box checklist
            mouth care plan
            IPC champion role description
        """,
        quotes="""
            staff, a care worker | I used to come in with a cold because I could not afford the day
                off. Now I do not have to.
            family | We could still visit {parent} during the outbreak. That meant the world.
            person | My mouth feels clean for the first time in ages.
            staff, an IPC champion | The last outbreak was over in {few} days. It used to be weeks.
        """,
        leads="""
            IPC champion
            clinical lead
            deputy manager
        """,
        partners="""
            the community infection prevention team
            the UK Health Security Agency
            the community pharmacy
        """,
    ),
    "skin-integrity-and-pressure-care": dict(
        key_questions="safe 4, effective 3",
        statements="""
            safe-environments involving-people-to-manage-risks
                delivering-evidence-based-care-and-treatment
            monitoring-and-improving-outcomes learning-culture
        """,
        services="""
            nursing-home 1.8, residential-care-home 1.1, homecare 0.9, day-service 0.1,
                supported-living 0.3, shared-lives 0.2, extra-care-housing 0.6
        """,
        topics="""
            pressure ulcers
            heel damage
            moisture lesions
            repositioning
            pressure care at home
        """,
        goals="""
            bring pressure ulcers down
            prevent heel damage
            spot skin damage early
        """,
        problems="""
            pressure ulcers developing in our care
            heel damage among people who spend long hours in bed
            moisture-associated skin damage
            repositioning charts that were completed but not followed
            delays getting pressure-relieving equipment
        """,
        causes="""
            most of the damage in the {count} cases we reviewed had started on heels
            repositioning was planned every two hours for everyone, whatever their need
            new equipment took {few} days or more to arrive from the community equipment service
            skin checks happened at personal care but were rarely recorded
            continence products were the wrong size for {few} people
        """,
        impacts="""
            {few} people needed hospital treatment for infected wounds
            Pressure ulcers were being raised as safeguarding concerns
            Staff felt blamed for damage they could not always prevent
        """,
        actions="""
            training-programme: SSKIN bundle training | trained every {staff_one} in the SSKIN
                bundle with the tissue viability nurse
            training-programme: a skin champion course | sent {few} staff on the tissue viability
                team's skin champion course
            quality-improvement-method: root cause reviews for every ulcer | held a short root cause
                review for every pressure ulcer of category 2 or above
            quality-improvement-method: a focus on heels | started a heel off-loading focus, with
                boots and pillows for anyone in bed for more than {hours} hours
            digital-care-planning: repositioning prompts in the digital care plan | set
                repositioning prompts in the digital care plan, tailored to each person's risk
            assistive-technology: pressure-mapping mattresses | trialled pressure-mapping mattresses
                that show staff where pressure is building
            data-and-analytics: a skin safety cross | put a safety cross in the staff room showing
                every day without new pressure damage
            workforce-model: a tissue viability link nurse | made one nurse the tissue viability
                link, with time to check high-risk people {freq}
            general: a stock of equipment | kept a small stock of pressure-relieving cushions and
                boots so that nobody waits
            general: continence reviews | reviewed everyone's continence products with the
                continence service
        """,
        details="""
            Every {person} has a Waterlow or PURPOSE T score, reviewed at least monthly and after
                any change.
            Skin checks are recorded on a body map at every personal care visit; the {lead} audits
                {few} a week.
            The {lead} checks the heels of everyone at high risk {freq}.
            Repositioning is planned around each person's own routine and comfort, not a fixed
                clock.
            Photographs of wounds are taken with consent and shared securely with the tissue
                viability nurse within {hours} hours.
        """,
        measures="""
            new pressure ulcers | 4 | 14 | a quarter | down
            category 3 and 4 pressure ulcers | 2 | 6 | a year | down
            moisture lesions | 3 | 10 | a quarter | down
            the average wait for pressure-relieving equipment | 3 | 7 | days | down
        """,
        lessons="""
            Two-hourly turns for everyone disrupted sleep and did not prevent damage; individual
                plans work better.
            The safety cross was ignored until the day staff owned it.
            We were too slow to involve families, who often notice red skin first.
            Boots were left in drawers until we added them to the care plan prompts.
            Some damage is unavoidable at the end of life, and we learnt to record that honestly.
        """,
        resources="""
            heel boots and cushions | 500 | 2500
            tissue viability training | 0 | 1500
            a pressure-mapping trial | 1500 | 5000
        """,
        materials="""
            SSKIN care plan template
            root cause review form
            heel check audit
        """,
        quotes="""
            staff, a care worker | I check heels without thinking now. It is part of personal care.
            family | {parent}'s skin has healed and the pain has gone.
            person | They ask how I want to lie, which nobody did before.
            staff, a nurse | We went {count} days without a new pressure ulcer, and the whole team
                celebrated.
        """,
        leads="""
            tissue viability link nurse
            skin champion
            clinical lead
        """,
        partners="""
            the tissue viability nurse
            the district nursing team
            the community equipment service
        """,
    ),
    "learning-from-incidents": dict(
        key_questions="safe 4, well-led 4",
        statements="""
            learning-culture safe-systems-pathways-and-transitions
                governance-management-and-sustainability
            learning-improvement-and-innovation freedom-to-speak-up
        """,
        services="homecare 1.5",
        topics="""
            after-action reviews
            safety huddles
            missed visits
            near misses
            incident reporting
            sharing what we learn
        """,
        goals="""
            learn from incidents, not just log them
            end missed visits
            get more near misses reported
        """,
        problems="""
            the same incidents happening again and again
            missed and late visits
            low reporting of near misses
            incident reviews that blamed individuals
            learning that stayed with the manager
        """,
        causes="""
            incident forms were filed but rarely reviewed as a team
            near misses were seen as not worth reporting
            staff feared disciplinary action if they reported a mistake
            there was no way to spot patterns across {count} incidents a month
            actions from reviews were never followed up
        """,
        impacts="""
            A serious incident led to a safeguarding enquiry
            Staff stopped reporting things because nothing happened
            The same people were affected more than once
        """,
        actions="""
            quality-improvement-method: after-action reviews | introduced after-action reviews: what
                was expected, what happened, why, and what we will do differently
            quality-improvement-method: daily safety huddles | started a {minutes}-minute safety
                huddle every morning to flag the day's risks
            data-and-analytics: an incident dashboard | built an incident dashboard that shows
                patterns by time, place and type
            data-and-analytics: electronic call monitoring | used electronic call monitoring to see
                late and missed visits as they happen
            digital-care-planning: incident reporting in the care app | moved incident reporting
                into the care app, so that a report takes {few} minutes
            training-programme: just culture training | trained {few} managers in a just culture
                approach to incidents
            workforce-model: a quality and safety lead | appointed a quality and safety lead to
                follow up every action
            general: a lesson of the month | shared a lesson of the month at every team meeting and
                in the staff newsletter
            general: thanks for reporting | thanked every person who reported a near miss, publicly
                where they agreed
        """,
        details="""
            Reviews take place within {few} days and include everyone involved, including the person
                and their family where they want to be.
            Every action from a review has a named owner and a date, checked at the monthly
                governance meeting.
            The {lead} looks at the dashboard {freq} and raises patterns at the huddle.
            We use the same {few} questions for every review, which makes them quicker and fairer.
            Near misses are treated as free lessons; {count} were reported in the first quarter.
        """,
        measures="""
            repeat incidents | 10 | 30 | a quarter | down
            missed visits | 6 | 25 | a month | down
            near misses reported | 3 | 10 | a month | up
            the average time to close an incident review | 20 | 45 | days | down
        """,
        lessons="""
            Reporting went up sharply at first, and the board needed reassuring that this was a good
                sign.
            After-action reviews were too long until we capped them at {minutes} minutes.
            Some managers slipped back into blame under pressure, so we now review how reviews are
                run.
            Call monitoring alerts swamped the office until we tuned the thresholds over {weeks}
                weeks.
            We should have involved people and families in reviews from the start.
        """,
        resources="""
            a call monitoring system | 3000 | 12000
            just culture training | 500 | 3000
            quality lead hours | 5000 | 15000
        """,
        materials="""
            after-action review template
            safety huddle board
            incident dashboard
        """,
        quotes="""
            staff, a care worker | I reported a near miss and got thanked for it. That never used to
                happen.
            family | They told us exactly what went wrong and what they changed. That rebuilt our
                trust.
            person | My carer always turns up now, and if she is late, someone rings me.
            staff, a team leader | The huddle is {minutes} minutes, and it has stopped {few} things
                going wrong this month alone.
        """,
        leads="""
            quality and safety lead
            registered manager
            deputy manager
        """,
        partners="""
            the local authority safeguarding team
            the integrated care board's quality team
            a peer provider
        """,
    ),
    "equality-diversity-and-inclusion": dict(
        key_questions="caring 3, responsive 3, well-led 3",
        statements="""
            equity-in-access equity-in-experiences-and-outcomes treating-people-as-individuals
            workforce-equality-diversity-and-inclusion capable-compassionate-and-inclusive-leaders
        """,
        topics="""
            LGBTQ+ inclusion
            culturally appropriate care
            care in people's own language
            inclusion for internationally recruited staff
            faith and care
        """,
        goals="""
            make it safe for everyone to be themselves
            offer care that respects culture and faith
            support staff from every background
        """,
        problems="""
            older LGBTQ+ people hiding who they are
            care that did not reflect people's culture, faith or language
            racist abuse towards staff from some of the people they supported
            internationally recruited staff feeling isolated
            people from minority communities not using the service
        """,
        causes="""
            our paperwork assumed everyone was heterosexual and married
            menus and activities reflected only one culture
            staff had experienced racist abuse and felt it was part of the job
            {few} staff from overseas were living in shared housing far from work, with no support
            only {pct} of referrals came from the area's minority communities
        """,
        impacts="""
            People told us they did not feel they could be themselves
            Staff from overseas were leaving within the year
            People from some communities were reaching us only at crisis point
        """,
        actions="""
            training-programme: LGBTQ+ awareness training | ran LGBTQ+ awareness training with a
                local charity for every member of staff
            training-programme: cultural awareness training | ran cultural awareness and anti-racism
                training in {few} sessions
            community-partnership: links with faith and community groups | built links with faith
                and community groups in {town}
            community-partnership: outreach with a community organisation | worked with a community
                organisation to reach families who did not use services
            workforce-model: bilingual care workers | recruited {few} bilingual care workers to
                match the languages people speak
            co-production: a staff network | set up a network for international and ethnic minority
                staff, with a voice at senior meetings
            general: inclusive paperwork | rewrote assessments and care plans to ask about identity,
                relationships, faith and culture
            general: culturally appropriate menus | introduced menus that reflect the cultures of
                the {people}
            general: zero tolerance of abuse towards staff | agreed a clear response to racist abuse
                of staff, with support and follow-up every time
            general: welcome support for overseas staff | met overseas staff at the airport, found
                housing and paired each with a mentor
        """,
        details="""
            Assessments now ask 'who matters to you?' rather than 'next of kin', and the {lead}
                checks the wording {freq}.
            The {lead} meets the staff network {freq} and takes its points to the board.
            Menus are planned with people and families every {months} months.
            When abuse happens, the member of staff is supported, it is recorded, and the manager
                follows it up within {few} days.
            We display the rainbow flag and signs in {few} languages at reception.
        """,
        measures="""
            the share of staff who felt the service was inclusive | 45 | 65 | % | up
            referrals from minority communities | 2 | 8 | a quarter | up
            the share of internationally recruited staff still with us after a year | 50 | 70 | % |
                up
            the share of staff who had experienced abuse and felt supported | 25 | 50 | % | up
        """,
        lessons="""
            Training alone did not change things; people needed to see leaders act.
            Some people held views that clashed with our values, and we learnt to challenge them
                respectfully.
            Asking about sexuality on a form felt intrusive to some; we now ask in conversation.
            Our first menus were tokenistic, one themed night a week; involving families fixed that.
            Overseas staff needed help with everyday things, such as bank accounts and GP
                registration, more than we realised.
        """,
        resources="""
            training with local charities | 500 | 3000
            mentoring and welcome support | 1000 | 5000
            menu changes and ingredients | 500 | 2500
        """,
        materials="""
            inclusive assessment questions
            welcome guide for international staff
            menu planning template
        """,
        quotes="""
            person | I can talk about my husband without worrying what people think.
            family | Hearing a familiar language every day has made {parent} so much more settled.
            staff, a care worker recruited from overseas | I felt welcome from the day I landed.
            staff, a senior care worker | {lead_name} made sure I had somewhere to live before my
                first shift.
        """,
        leads="""
            equality and inclusion lead
            registered manager
            deputy manager
        """,
        partners="""
            a local LGBTQ+ charity
            local faith groups
            the local authority's equality team
        """,
    ),
}

# Zipf-like: the theme at rank r (the order of THEMES) is drawn with weight 1 / r.
THEME_WEIGHTS = {slug: 1 / rank for rank, slug in enumerate(THEMES, start=1)}

# --- general phrases ----------------------------------------------------------------------------

CHALLENGE_INTROS = [
    "{home} is {size} in {town}.",
    "We are {size} in {town}, with around {staff_n} staff.",
    "{home} is {size}; we employ around {staff_n} staff.",
    "At {home}, {size} in {town}, we employ around {staff_n} staff.",
    "{home} is {size} on the edge of {town}.",
    "We run {size} in {town}.",
]
PROBLEM_SENTENCES = [
    "Our biggest worry was {problem}.",
    "Like many services, we were struggling with {problem}.",
    "For some time we had been concerned about {problem}.",
    "We knew we had a problem with {problem}.",
    "The issue that kept coming up was {problem}.",
    "By {start_year} we could no longer ignore {problem}.",
    "The problem we set out to fix was {problem}.",
]
FIGURE_COUNT = [
    "In {start_year} we recorded {before} {what}{unit}.",
    "Our figures for the year to {start_month} showed {before} {what}{unit}.",
    "By {start_month} we were seeing {before} {what}{unit}, and the trend was getting worse.",
    "Our records for {start_year} showed an average of {before} {what}{unit}.",
]
FIGURE_LEVEL = [
    "In {start_year}, {what} was {before}{unit}.",
    "When we looked in {start_month}, {what} was {before}{unit}.",
    "Our audit in {start_month} showed that {what} was {before}{unit}.",
    "At the start, {what} was {before}{unit}.",
]
CAUSE_FIRST = [
    "When we looked closely, we found that {cause}.",
    "Going back through {months} months of records showed that {cause}.",
    "The {lead} spent {weeks} weeks on the detail and found that {cause}.",
    "Talking to staff, {people} and families, we learnt that {cause}.",
    "It soon became clear that {cause}.",
]
CAUSE_MORE = [
    "We also found that {cause}.",
    "On top of that, {cause}.",
    "At the same time, {cause}.",
    "Staff told us that {cause}.",
]
GENERIC_IMPACTS = [
    "Complaints about it had reached {few} in {months} months",
    "Staff morale was low, and sickness absence had crept up to {low_pct} of shifts",
    "We were spending more time reacting to problems than preventing them",
    "It came up at {few} team meetings in a row without anything changing",
]
TRIGGERS = [
    "A complaint from a family in {start_month} made us look harder.",
    "Our last inspection report mentioned it, and the team at {home} agreed it was right.",
    "A serious incident in {start_month} was the turning point.",
    "The local authority's quality team raised it at a monitoring visit in {start_month}.",
    "Staff raised it in our annual survey, and {few} of them offered to help fix it.",
    "{lead_name} wanted us to understand the problem, not just record it.",
    "Nobody at {home} was doing anything wrong on purpose; the system was letting people down.",
]
# Ways of putting a bank's fixed sentence ({It}) into a record's own words.
IMPACT_FRAMES = [
    "{It}.",
    "By {start_month}, {it}.",
    "At {home}, {it}.",
    "In {start_year}, {it}.",
    "{It}, and {lead_name} heard about it every week.",
]
LESSON_FRAMES = [
    "{It}",
    "Looking back, {it}",
    "One thing we would tell another service: {it}",
    "The biggest lesson of the first {months} months: {it}",
    "At {home}, {it}",
]
APPROACH_STARTS = [
    "We started by spending {weeks} weeks listening to {people}, families and staff at {home}, "
    "on every shift.",
    "The first step was a small working group: the {lead}, {few} {staff}, a family member and "
    "someone from {partner}.",
    "Before changing anything, we spent {weeks} weeks gathering information with the {lead}.",
    "In {start_month} we set out to {goal}, starting small and measuring as we went.",
    "We did not have a big budget at {home}, so we started with what we could change "
    "ourselves in the first {months} months.",
    "{lead_name}, our {lead}, led the work, with {hours} hours a week protected for it.",
    "We agreed one aim at the start and shared it with everyone at {home}: {goal}.",
    "We read what {source} had published on {topic} and adapted it to {home}.",
    "We visited {few} other services that had tackled {topic}, and took the best of what we saw.",
    "{lead_name}, our {lead}, pulled together {months} months of records so that we knew "
    "where we were starting from.",
]
FIRST_OPENERS = ["", "", "", "First, ", "In {start_month_name}, ", "Early on, ", "To begin with, "]
LATER_OPENERS = [
    "",
    "",
    "Next, ",
    "Then ",
    "From {month}, ",
    "After {weeks} weeks, ",
    "At the same time, ",
    "Alongside this, ",
    "Over the next {months} months, ",
    "To make it stick, ",
    "In {month} {start_year}, ",
    "Once that was working, ",
    "Later, ",
    "With that in place, ",
    "A few weeks later, ",
]
SUBJECTS = [
    "we",
    "we",
    "we",
    "the {lead}",
    "our {lead}",
    "{lead_name}, our {lead},",
    "{lead_name}, our {lead},",
    "together with {partner}, we",
    "the team at {home}",
    "{lead_name} and the team",
]
GENERIC_DETAILS = [
    "We tried it on one {unit} at {home} for {weeks} weeks before rolling it out.",
    "It took about {weeks} weeks for {staff} at {home} to see it as normal, not an extra job.",
    "{few} {staff} volunteered to try it first and helped {lead_name} iron out the problems.",
    "The {lead} checked how it was going {freq} for the first {months} months.",
    "{lead_name} added it to every {person}'s care plan, with a review {months} months on.",
    "Most of the cost was staff time: {hours} hours a week of {lead_name}'s time at the start.",
    "By {month} {end_year} it was simply the way we work at {home}.",
    "A one-page guide written by {lead_name} meant agency and bank staff could follow it "
    "from their first shift.",
    "Night staff were involved from the start, and {lead_name} ran {few} sessions at 7am so "
    "that they could come.",
    "We kept it simple: {few} steps, written on a card that every {staff_one} at {home} carries.",
    "It needed no new money: {lead_name} gave it {hours} hours a week, taken from other work.",
    "The first {weeks} weeks were bumpy, and we changed the plan {times}.",
    "{partner} gave us advice at {few} points along the way.",
    "Where a {person} lacked capacity to agree, {lead_name} made a best interests decision "
    "with their family and recorded it; this applied to {few} people.",
    "{lead_name} shared progress with the team {freq}, on the noticeboard and at handover.",
    "After {weeks} weeks we checked with {few} {people} that it felt right to them.",
    "{lead_name} kept a log of what went well and what did not, and read it back to the team "
    "{freq}.",
]
# Put before a theme's details now and then, so that the same detail reads differently.
DETAIL_CONNECTORS = ["", "", "", "In practice, ", "Day to day, ", "In short, "]
INVOLVEMENT = [
    "{lead_name} talked it through with each {person} and their family first; {few} people "
    "chose not to take part, and we respected that.",
    "{people} and families at {home} shaped the plan through {few} meetings and many "
    "conversations over a cup of tea.",
    "We asked {people} at {home} what they thought at each stage, and changed the plan "
    "{times} as a result.",
    "Families heard about it through {channel}, and {lead_name} held a drop-in on a {day} "
    "evening to answer questions.",
    "{few} {people} joined {lead_name}'s working group and helped decide what to try first.",
    "Nothing changed for anyone without a conversation first; {lead_name} had {count} of them "
    "in the first month.",
]
TRAINING = [
    "Every {staff_one} at {home} did a {hours}-hour session with the {lead}, in paid time.",
    "Training was short and practical: {few} sessions of about {minutes} minutes, run at "
    "shift handover so that nights could join.",
    "The {lead} trained {count} staff over {weeks} weeks, including role play of real situations.",
    "New starters now learn the approach in their first week from {lead_name}, and everyone "
    "has a refresher every {months} months.",
    "{partner} ran {few} training sessions for us at no cost.",
]
MONITORING = [
    "To know whether it was working, we tracked {m} {freq} and looked at the figures at {meeting}.",
    "We measured {m} for {months} months before we started, so that we had a fair baseline.",
    "The {lead} kept a simple spreadsheet of {m}, shared at {meeting}.",
    "We agreed at the start to judge it on {m}, and on what {people} and staff told us.",
    "{lead_name} reported {m} to {meeting} every month.",
]
OUTCOME_INTROS = [
    "Over the {k} months from {start} to {end}:",
    "Between {start} and {end}:",
    "In the {k} months after we started ({start} to {end}):",
    "Over {k} months ({start} to {end}):",
]
RESULT_DOWN = [
    "{what} fell from {before} to {after}{unit}.",
    "{what} went down from {before} to {after}{unit}.",
    "{what} dropped from {before}{unit} to {after}{unit}.",
    "{what} came down from {before} to {after}{unit}, and has stayed there.",
]
RESULT_UP = [
    "{what} rose from {before} to {after}{unit}.",
    "{what} went up from {before} to {after}{unit}.",
    "{what} increased from {before}{unit} to {after}{unit}.",
]
STAFF_VIEWS = [
    "the change had made their work easier",
    "they felt more confident",
    "they would recommend the approach to another service",
    "they understood why we had made the change",
    "they felt listened to",
]
PEOPLE_VIEWS = [
    "felt more in control of their day",
    "felt listened to",
    "felt safer",
    "noticed the difference",
    "preferred the new way",
]
FEEDBACK = [
    "In our staff survey, {high_pct} of {staff} said {staff_view}.",
    "{people} told us they {people_view}, and {count} said so at their reviews.",
    "Compliments from families rose from {few} to {count} a year.",
    "{partner} has since asked us to share the approach with other providers in {town}.",
    "Our inspection report in {published_year} picked out the work at {home} as an example "
    "of outstanding practice.",
    "At {few} of the last {count} reviews, families mentioned it without being asked.",
]
CAVEATS = [
    "Other things changed at {home} over the same period, so we do not claim all of the "
    "improvement for this work.",
    "The numbers are small for a service of {staff_n} staff, so we treat them with caution.",
    "Figures dipped over the winter of {end_year}, as they always do, but stayed well below "
    "where we started.",
    "We are still collecting figures, and {lead_name} will update this case study at its review.",
]
GENERIC_LESSONS = [
    "Our first version of {np} did not work because {why}; we changed it after {weeks} weeks.",
    "If we started again at {home}, we would {differently} from the start.",
    "It relied too much on the {lead} at first; when they were on leave for {weeks} weeks, "
    "things slipped.",
    "We also tried {unused}, but dropped it after {months} months because {reason}.",
    "Keeping it going has been harder than starting it; a refresher every {months} months helps.",
    "We underestimated the time it would take: {months} months, not the {few} weeks we planned.",
]
WHY_NOT = [
    "it was too complicated",
    "we had not involved night staff",
    "it relied on one person",
    "we tried to change too much at once",
    "we had not explained why",
]
DIFFERENTLY = [
    "involve {people} and families",
    "agree how we would measure it",
    "give the {lead} protected time",
    "bring night staff in",
    "talk to {partner}",
    "start on one {unit}",
]
DROPPED_BECAUSE = [
    "it took more staff time than it saved",
    "people did not like it",
    "it did not fit a service like ours",
    "nobody used it after the first month",
]
ADOPTION_COSTS = [
    "Cost: about {total}: {listed}, and paid training time for {trained} staff (around "
    "{training}).",
    "It cost around {total} in the first year, most of it {main}.",
    "Cost: {listed}, plus staff time. In all, about {total}.",
]
ADOPTION_TIME = [
    "Time: about {weeks} weeks to set up, then {months} months to embed.",
    "Time: it took {home} {months} months from the first meeting to normal practice.",
    "Time: {weeks} weeks of preparation, and about {hours} hours a week of the {lead}'s time "
    "after that.",
]
ADOPTION_PEOPLE = [
    "People: a {lead} with {hours} hours a week protected, support from {partner}, and a "
    "manager who looks at the figures every month.",
    "People: the {lead}, {few} willing {staff} to try it first, and families who know the "
    "{people} well.",
    "People: a named lead, time for every {staff_one} to be trained, and {partner}.",
]
# What the contact offers (contact.offers), in the words of the adoption text; {who} is the
# contact's first name, or "we".
OFFER_MATERIALS = [
    "We can share our {one} and {two}.",
    "{who} can send our {one}.",
    "Our {one} is free to anyone who asks.",
]
OFFER_VISITS = [
    "Visitors are welcome at {home}, any {day}, by arrangement with {who}.",
    "Come and see it at {home}: {who} can arrange a visit on a {day}.",
]
OFFER_MENTORING = [
    "{who} is happy to talk it through on a call.",
    "Ring {who} for a {minutes}-minute call first.",
    "We can mentor a service near {town} that wants to try it.",
]
TITLES = [
    "{topic}: {np1} and {np2}",
    "{topic}: how {np1} helped us {goal}",
    "{goal} with {np1}",
    "{np1} to {goal}",
    "How {np1} helped us {goal}",
    "{topic} in {service}: {np1}",
    "{topic}: what worked at {home}",
    "{np1}, {np2} and {np3}",
    "{goal}: {np1} in {service}",
    "{topic}: learning from {np1}",
    "{np1} and {np2}: {topic} in {service}",
]
SUMMARY_OPENERS = [
    "By {start_year} we were worried about {problem}.",
    "Like many services, {home} struggled with {problem}.",
    "At {home} we were worried about {problem}.",
    "{home} had a problem with {problem}.",
    "{figure}",
    "{problem} had become a pattern at {home}.",
]
SUMMARY_ACTIONS = [
    "We introduced {nps}.",
    "We brought in {nps}.",
    "Working with {partner}, we introduced {nps}.",
    "We responded with {nps}.",
    "Over {k} months we put in place {nps}.",
]
SOURCES = [
    "NICE",
    "Skills for Care",
    "the Social Care Institute for Excellence",
    "the integrated care board",
    "another Outstanding provider",
    "CQC",
]
CHANNELS = [
    "our monthly newsletter",
    "the family app",
    "a letter from the manager",
    "relatives' meetings",
]
MEETINGS = [
    "our monthly quality meeting",
    "the clinical governance meeting",
    "the team meeting",
    "the board",
    "the daily huddle",
]
FREQUENCIES = [
    "every week",
    "twice a week",
    "once a fortnight",
    "once a month",
    "every Tuesday",
    "every Thursday morning",
    "three times a week",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def in_words(n):
    """Small numbers in words, as a style guide would have them; larger ones as figures."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def money(amount):
    step = 50 if amount < 2000 else 100 if amount < 20000 else 500
    return f"£{round(amount / step) * step:,}"


# Fresh draws for the {slots} that are not fixed per record.
DRAWS = {
    "few": lambda rng: in_words(rng.randint(2, 9)),
    "times": lambda rng: rng.choice(("twice", "three times", "four times", "several times")),
    "weeks": lambda rng: in_words(rng.randint(2, 12)),
    "months": lambda rng: in_words(rng.randint(2, 12)),
    "count": lambda rng: str(rng.randint(12, 60)),
    "pct": lambda rng: f"{rng.randint(12, 48)}%",
    "low_pct": lambda rng: f"{rng.randint(4, 12)}%",
    "high_pct": lambda rng: f"{rng.randint(68, 96)}%",
    "minutes": lambda rng: rng.choice(("ten", "15", "20", "30")),
    "hours": lambda rng: rng.choice(("two", "three", "four", "six")),
    "day": lambda rng: rng.choice(WEEKDAYS),
    "month": lambda rng: rng.choice(MONTHS),
    "freq": lambda rng: rng.choice(FREQUENCIES),
    "cost": lambda rng: money(rng.randint(300, 6000)),
    "source": lambda rng: rng.choice(SOURCES),
    "channel": lambda rng: rng.choice(CHANNELS),
    "meeting": lambda rng: rng.choice(MEETINGS),
}


class Slots(dict):
    """The words a record's phrases are filled with: its own (fixed) and fresh draws."""

    def __init__(self, rng, fixed):
        super().__init__(fixed)
        self.rng = rng

    def __missing__(self, key):
        return DRAWS[key](self.rng)


def sentence_case(text):
    start = 1 if text[:1] in "'“" else 0  # 'as required' doses..., “I used to...
    return text[:start] + text[start : start + 1].upper() + text[start + 1 :]


def lower_first(text):
    # "Every plan..." becomes "every plan..." after a connector; "SBARD..." stays as it is.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def word_count(parts):
    return sum(part.count(" ") + 1 for part in parts)


def weighted_sample(rng, weights, k):
    """k distinct keys of weights (a dict, in its insertion order), drawn by weight."""
    items = [(key, weight) for key, weight in weights.items() if weight > 0]
    chosen = []
    while items and len(chosen) < k:
        x, j = rng.random() * sum(weight for _, weight in items), 0
        while j < len(items) - 1 and x >= items[j][1]:
            x -= items[j][1]
            j += 1
        chosen.append(items.pop(j)[0])
    return chosen


def pick_count(rng, weights):
    """A number drawn from {number: weight}."""
    return weighted_sample(rng, weights, 1)[0]


def month_name(d):
    return f"{MONTHS[d.month - 1]} {d.year}"


def add_months(d, months):
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# --- themes, parsed once ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # unique bank entries: identity is equality, and fast
class Action:
    np: str  # "a falls huddle after every fall"
    vp: str  # "held a falls huddle within {minutes} minutes of every fall, ..."
    innovation_type: str | None


@dataclass(frozen=True, eq=False)
class Measure:
    what: str
    low: float
    high: float
    unit: str
    better: str

    @property
    def is_level(self):
        return self.what.startswith("the ")


@dataclass(frozen=True)
class Theme:
    slug: str
    bank: dict
    actions: tuple
    measures: tuple
    problem_for: dict  # measure: the problem it measures best


CONTENT_WORD = re.compile(r"[a-z]{4,}")


def closest_problem(measure, problems):
    """The problem sharing most words with the measure, so a challenge's figure fits it."""
    words = set(CONTENT_WORD.findall(measure.what.lower()))
    return max(problems, key=lambda p: len(words & set(CONTENT_WORD.findall(p.lower()))))


def phrases(block):
    """The phrases of a bank field: one a line, further-indented lines continuing one."""
    entries, margin = [], None
    for line in block.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        margin = indent if margin is None else margin
        if indent > margin:
            entries[-1] += " " + line.strip()
        else:
            entries.append(line.strip())
    return entries


def fields(line):
    return [part.strip() for part in line.split("|")]


def number(text):
    return float(text) if "." in text else int(text)


def weights(text):
    """ "safe 4, effective 3" as {"safe": 4.0, "effective": 3.0}."""
    pairs = (item.split() for item in " ".join(text.split()).split(",") if item.strip())
    return {slug: float(weight) for slug, weight in pairs}


def parse_theme(slug, raw):
    bank = {name: phrases(text) for name, text in raw.items()}
    bank["key_questions"] = weights(raw["key_questions"])
    bank["services"] = weights(raw.get("services", ""))
    bank["statements"] = raw["statements"].split()
    bank["resources"] = [
        (item, int(low), int(high)) for item, low, high in map(fields, bank["resources"])
    ]
    bank["quotes"] = []
    for line in phrases(raw["quotes"]):
        who, text = line.split("|", 1)
        voice, _, role = (part.strip() for part in who.partition(","))
        bank["quotes"].append((text.strip(), voice, role) if role else (text.strip(), voice))
    actions = []
    for line in bank["actions"]:
        kind, _, action = line.partition(": ")
        np, vp = fields(action)
        actions.append(Action(np, vp, None if kind == "general" else kind))
    measures = []
    for what, low, high, unit, better in map(fields, bank["measures"]):
        unit = unit if unit in ("", "%") else " " + unit  # "14 a month", "41%"
        measures.append(Measure(what, number(low), number(high), unit, better))
    problem_for = {m: closest_problem(m, bank["problems"]) for m in measures}
    return Theme(slug, bank, tuple(actions), tuple(measures), problem_for)


THEME_BANKS = {slug: parse_theme(slug, bank) for slug, bank in THEMES.items()}


def check_vocabulary():
    """Every slug the banks use is in taxonomy.json (an edit there fails here, loudly)."""
    known = {name: {t["slug"] for t in TAXONOMY[name]} for name in TAXONOMY if name != "about"}
    assert set(THEMES) == known["themes"], "THEMES must be the themes of taxonomy.json"
    assert set(SERVICES) == known["service_types"] and set(REGIONS) == known["regions"]
    for theme in THEME_BANKS.values():
        assert set(theme.bank["key_questions"]) <= known["key_questions"], theme.slug
        assert set(theme.bank["statements"]) <= known["quality_statements"], theme.slug
        assert set(theme.bank["services"]) <= known["service_types"], theme.slug
        tags = {a.innovation_type for a in theme.actions} - {None}
        assert tags <= known["innovation_types"], theme.slug


check_vocabulary()

# --- providers ---------------------------------------------------------------------------------

# How many case studies a provider writes: mostly a few, sometimes many (mean about 5.3).
CASE_STUDIES_PER_PROVIDER = {
    1: 14,
    2: 13,
    3: 12,
    4: 11,
    5: 10,
    6: 9,
    7: 8,
    8: 7,
    10: 6,
    12: 4,
    15: 3,
    20: 2,
}
# Providers writing at the same time; a record goes to one of them at random.
OPEN_PROVIDERS = 30
# Which key questions services are most often Outstanding in (caring far more than safe).
OUTSTANDING_KEY_QUESTION_WEIGHTS = {
    "safe": 1.2,
    "effective": 1.5,
    "caring": 3.0,
    "responsive": 2.5,
    "well-led": 2.5,
}
# cqc_location_id = 1- and ten digits: a bijection of the provider's index (the multiplier
# is a prime not dividing 9 * 10^9), so ids never collide.
CQC_ID_MULTIPLIER = 2_654_435_761
CQC_ID_SPAN = 9_000_000_000


@dataclass
class Provider:
    record: dict  # the interchange "provider" object, shared by all its case studies
    service: Service
    home: str  # the short name used in text: "Willow Court"
    town: str
    size: str
    staff_n: int
    staff: list  # [(first name, surname)], the registered manager first
    email_domain: str
    outstanding_in: tuple  # key questions rated Outstanding
    theme_weights: dict
    first_year: int


class ProviderRoster:
    """Deals providers to records in order; the same seed always deals the same way."""

    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(f"{seed}:roster")
        self.cqc_offset = random.Random(f"{seed}:cqc").randrange(CQC_ID_SPAN)
        self.open = []  # [provider, case studies still to write]
        self.created = 0
        self.names = set()

    def next_provider(self):
        while len(self.open) < OPEN_PROVIDERS:
            quota = pick_count(self.rng, CASE_STUDIES_PER_PROVIDER)
            self.open.append([self._new_provider(), quota])
        j = self.rng.randrange(len(self.open))
        provider, quota = self.open[j]
        if quota == 1:
            del self.open[j]
        else:
            self.open[j][1] = quota - 1
        return provider

    def _new_provider(self):
        index = self.created
        self.created += 1
        rng = random.Random(f"{self.seed}:provider:{index}")
        service_type = pick_count(rng, {slug: s.weight for slug, s in SERVICES.items()})
        service = SERVICES[service_type]
        region = pick_count(rng, {slug: weight for slug, (weight, _) in REGIONS.items()})
        town = rng.choice(TOWNS[region])
        name, home = self._name(rng, service_type, town)
        low, high = service.sizes
        n = rng.randint(low, high)
        size = service.size.format(n=n, k=max(2, n // rng.randint(3, 6)))
        staff_n = max(8, int(n * rng.uniform(0.8, 1.6))) if n < 150 else int(n * 0.6)
        outstanding_overall = rng.random() < 0.6
        ratings, outstanding_in = self._ratings(rng, outstanding_overall)
        record = {
            "name": name,
            "cqc_location_id": f"1-{1_000_000_000 + self._cqc_number(index)}",
            "service_type": service_type,
            "region": region,
            "overall_rating": "outstanding" if outstanding_overall else "good",
        }
        rating_day = date(2019, 6, 1) + timedelta(days=rng.randint(0, 2700))
        if rng.random() < 0.95:
            record["rating_date"] = rating_day.isoformat()
        # A Good provider needs its key question ratings for the Outstanding rule.
        if not outstanding_overall or rng.random() < 0.95:
            record["key_question_ratings"] = ratings
        staff = [(rng.choice(FIRST_NAMES), rng.choice(SURNAMES)) for _ in range(3)]
        domain = re.sub(r"[^a-z]", "", home.lower())[:24] or "care"
        return Provider(
            record=record,
            service=service,
            home=home,
            town=town,
            size=size,
            staff_n=staff_n,
            staff=staff,
            email_domain=f"{domain}.example.org",
            outstanding_in=outstanding_in,
            theme_weights=self._theme_weights(service_type, outstanding_in, outstanding_overall),
            first_year=max(CORPUS_DATE.year - CORPUS_YEARS, rating_day.year - 2),
        )

    def _cqc_number(self, index):
        return (index * CQC_ID_MULTIPLIER + self.cqc_offset) % CQC_ID_SPAN

    def _name(self, rng, service_type, town):
        for attempt in range(40):
            stem = (
                rng.choice(NAME_STEMS)
                if rng.random() < 0.4
                else (rng.choice(STEM_STARTS) + rng.choice(STEM_ENDS))
            )
            words = {
                "stem": stem,
                "suffix": rng.choice(HOME_SUFFIXES),
                "brand": rng.choice(BRANDS),
                "town": town,
            }
            pattern = rng.choice(NAME_PATTERNS[service_type])
            name = pattern.format(**words)
            if attempt > 20:
                name = f"{name}, {town}"
            if name not in self.names:
                self.names.add(name)
                break
        # The name a manager would use in the text: "Willow Court", "Brightpath".
        if "{brand}" in pattern:
            home = words["brand"]
        elif "{stem} {suffix}" in pattern:
            home = f"{words['stem']} {words['suffix']}"
        else:
            home = name.split(" (")[0].split(",")[0]
        return name, home

    def _ratings(self, rng, outstanding_overall):
        # CQC: Outstanding overall takes at least two Outstanding key questions.
        if outstanding_overall:
            how_many = pick_count(rng, {2: 50, 3: 35, 4: 12, 5: 3})
        else:
            how_many = pick_count(rng, {1: 70, 2: 30})
        outstanding_in = weighted_sample(rng, OUTSTANDING_KEY_QUESTION_WEIGHTS, how_many)
        ratings = {kq: "outstanding" if kq in outstanding_in else "good" for kq in KEY_QUESTIONS}
        good = [kq for kq in KEY_QUESTIONS if ratings[kq] == "good"]
        if not outstanding_overall and good and rng.random() < 0.08:
            ratings[rng.choice(good)] = "requires-improvement"
        return ratings, tuple(kq for kq in KEY_QUESTIONS if kq in outstanding_in)

    @staticmethod
    def _theme_weights(service_type, outstanding_in, outstanding_overall):
        # Providers write most about what they were rated Outstanding for.
        boost = 1.5 if outstanding_overall else 4.0
        weights = {}
        for slug, theme in THEME_BANKS.items():
            weight = THEME_WEIGHTS[slug] * theme.bank["services"].get(service_type, 1.0)
            if any(kq in outstanding_in for kq in theme.bank["key_questions"]):
                weight *= boost
            weights[slug] = weight
        return weights


# --- case studies ---------------------------------------------------------------------------


class CaseStudyWriter:
    """One case study: its classification first, then the text that fits it."""

    def __init__(self, seed, index, provider, titles):
        self.rng = rng = random.Random(f"{seed}:case-study:{index}")
        self.index = index
        self.provider = provider
        self.titles = titles
        self.used = set()  # phrases already in this record's text
        self.themes = [THEME_BANKS[slug] for slug in self._themes()]
        self.primary = self.themes[0]
        self.key_questions = self._key_questions()
        self.innovation_types = self._innovation_types()
        self.actions = self._actions()
        self.measures = self._measures()
        # The problem the challenge and summary name: mostly the one the first figure measures.
        self.problem = self.primary.problem_for[self.measures[0][0]]
        if rng.random() < 0.25:
            self.problem = rng.choice(self.primary.bank["problems"])
        self.published, self.start, self.end = self._dates()
        service = provider.service
        lead = rng.choice(self.primary.bank["leads"] + list(service.leads[:1]))
        self.slots = Slots(
            rng,
            {
                "people": service.people,
                "person": service.person,
                "staff": service.staff,
                "staff_one": service.staff_one,
                "place": service.place,
                "room": service.room,
                "unit": rng.choice(service.units),
                "home": provider.home,
                "town": provider.town,
                "size": provider.size,
                "staff_n": str(provider.staff_n),
                "lead": lead,
                "lead_name": rng.choice(FIRST_NAMES),
                "partner": rng.choice(self.primary.bank["partners"]),
                "goal": rng.choice(self.primary.bank["goals"]),
                "topic": rng.choice(self.primary.bank["topics"]),
                "start_year": str(self.start.year),
                "start_month": month_name(self.start),
                "start_month_name": MONTHS[self.start.month - 1],
                "end_year": str(self.end.year),
                "published_year": str(self.published.year),
                "parent": rng.choice(("Mum", "Dad")),
            },
        )

    def fresh(self, choices):
        """One of choices not yet used in this record (the first, plain one may repeat)."""
        unused = [c for c in choices[1:] if c not in self.used]
        choice = self.rng.choice(choices[:1] + unused)
        self.used.add(choice)
        return choice

    def fill(self, text, **words):
        """A phrase in this record's words; words given here come before the slots."""
        for slot, value in words.items():
            text = text.replace("{" + slot + "}", value)
        return sentence_case(text.format_map(self.slots))

    def framed(self, text, frames):
        frame = self.fresh(frames)
        return self.fill(frame.replace("{It}", text).replace("{it}", lower_first(text)))

    # classification

    def _themes(self):
        how_many = pick_count(self.rng, {1: 30, 2: 45, 3: 25})
        return weighted_sample(self.rng, self.provider.theme_weights, how_many)

    def _key_questions(self):
        weights = dict.fromkeys(KEY_QUESTIONS, 0.0)
        for rank, theme in enumerate(self.themes):
            for kq, weight in theme.bank["key_questions"].items():
                weights[kq] += weight / (rank + 1)
        for kq in self.provider.outstanding_in:
            weights[kq] *= 1.5
        weights = {kq: weight**2 for kq, weight in weights.items()}  # the theme's own first
        how_many = pick_count(self.rng, {1: 20, 2: 45, 3: 35})
        chosen = weighted_sample(self.rng, weights, how_many)
        # The Outstanding rule: a Good provider's case study must address a key question
        # it is Outstanding in.
        if self.provider.record["overall_rating"] != "outstanding" and not any(
            kq in self.provider.outstanding_in for kq in chosen
        ):
            fitting = max(self.provider.outstanding_in, key=lambda kq: weights[kq] + 0.1)
            chosen = (chosen if len(chosen) < 3 else chosen[:2]) + [fitting]
        return chosen

    def _quality_statements(self):
        if self.rng.random() < 0.07:
            return []
        statements = []
        theme_statements = [s for theme in self.themes for s in theme.bank["statements"]]
        for kq in self.key_questions:
            weights = {s: 1.0 for s, q in STATEMENT_KEY_QUESTION.items() if q == kq}
            for s in theme_statements:
                if s in weights:
                    weights[s] = 6.0
            how_many = pick_count(self.rng, {0: 5, 1: 62, 2: 33})
            statements += [
                s for s in weighted_sample(self.rng, weights, how_many) if s not in statements
            ]
        return statements

    def _innovation_types(self):
        how_many = pick_count(self.rng, {0: 3, 1: 55, 2: 42})
        weights = {}
        for rank, theme in enumerate(self.themes):
            for action in theme.actions:
                if action.innovation_type:
                    weights[action.innovation_type] = weights.get(action.innovation_type, 0) + (
                        1.0 if rank == 0 else 0.3
                    )
        return weighted_sample(self.rng, weights, how_many)

    def _actions(self):
        """What the service did: every innovation type shown, then general actions."""
        rng = self.rng
        fits = [
            a
            for a in self.primary.actions
            if a.innovation_type is None or a.innovation_type in self.innovation_types
        ]
        rng.shuffle(fits)
        chosen = []
        for tag in self.innovation_types:
            tagged = [a for t in self.themes for a in t.actions if a.innovation_type == tag]
            first = next((a for a in fits if a.innovation_type == tag), None) or rng.choice(tagged)
            chosen.append(first)
        chosen += [a for a in fits if a not in chosen]
        for theme in self.themes[1:]:
            extra = [
                a
                for a in theme.actions
                if a not in chosen
                and (a.innovation_type is None or a.innovation_type in self.innovation_types)
            ]
            if extra:
                chosen.insert(rng.randint(1, len(chosen)), rng.choice(extra))
        return chosen

    def _measures(self):
        primary = list(self.primary.measures)
        self.rng.shuffle(primary)
        others = [m for theme in self.themes[1:] for m in theme.measures]
        extra = self.rng.sample(others, min(len(others), self.rng.randint(0, 1)))
        measures = primary[: self.rng.randint(1, 3)] + extra
        return [self._figures(m) for m in measures]

    def _figures(self, measure):
        """(measure, before, after) with a change a real service might report."""
        rng = self.rng
        decimals = isinstance(measure.low, float)
        before = rng.uniform(measure.low, measure.high)
        if measure.better == "down":
            # Scores move less than counts: a PHQ-9 of 14 goes to 9, not to 3.
            after = before * (rng.uniform(0.6, 0.9) if decimals else rng.uniform(0.2, 0.75))
        elif measure.unit == "%" or measure.unit.startswith(" out of "):
            ceiling = 99 if measure.unit == "%" else float(measure.unit.split()[-1])
            after = before + (ceiling - before) * rng.uniform(0.25, 0.75)
        else:
            after = before * rng.uniform(1.4, 3.0) + 1
        if decimals:
            return measure, f"{before:.1f}", f"{after:.1f}"
        before, after = round(before), round(after)
        if after == before:
            after = before - 1 if measure.better == "down" else before + 1
        return measure, f"{before:,}", f"{max(after, 0):,}"

    def _dates(self):
        rng = self.rng
        span = (CORPUS_DATE - date(self.provider.first_year, 1, 1)).days
        # More practice is published each year than the year before.
        days_back = int(rng.triangular(0, span, 0) if rng.random() < 0.6 else rng.uniform(0, span))
        published = CORPUS_DATE - timedelta(days=days_back)
        months = rng.randint(3, 18)
        end = add_months(published.replace(day=1), -rng.randint(1, 6))
        return published, add_months(end, -months), end

    # text

    def title(self):
        rng = self.rng
        nps = [a.np for a in self.actions[:4]]
        for attempt in range(12):
            rng.shuffle(nps)
            words = {
                "topic": self.slots["topic"],
                "goal": self.slots["goal"],
                "home": self.provider.home,
                "service": self.provider.service.phrase,
                "np1": nps[0],
                "np2": nps[1 % len(nps)],
                "np3": nps[2 % len(nps)],
            }
            template = rng.choice(TITLES if len(set(nps)) >= 3 else TITLES[2:7])
            title = self.fill(template.format(**words))
            if attempt >= 8:
                title = f"{title} at {self.provider.home}, {self.provider.town}"
            if title not in self.titles and len(title) <= 200:
                break
        if title in self.titles:
            title = f"{title} ({self.index + 1})"
        self.titles.add(title)
        return title

    def result_sentence(self, measure, before, after):
        unit = measure.unit
        if measure.is_level:  # "from 41% to 88%", never "from 41 to 88%"
            before, after, unit = before + unit, after + unit, ""
        text = self.rng.choice(RESULT_DOWN if measure.better == "down" else RESULT_UP)
        for slot, value in (("{before}", before), ("{after}", after), ("{unit}", unit)):
            text = text.replace(slot, value)
        return self.fill(text.replace("{what}", measure.what))

    def figure_sentence(self):
        measure, before, _ = self.measures[0]
        template = self.rng.choice(FIGURE_LEVEL if measure.is_level else FIGURE_COUNT)
        unit = "" if measure.unit == " a year" else measure.unit  # "in 2023 we recorded 9 falls"
        text = template.replace("{before}", before).replace("{unit}", unit)
        return self.fill(text.replace("{what}", measure.what))

    def challenge(self):
        rng, bank = self.rng, self.primary.bank
        target = rng.triangular(60, 200, 95)
        first = [self.fill(rng.choice(CHALLENGE_INTROS))]
        first.append(self.fill(rng.choice(PROBLEM_SENTENCES).replace("{problem}", self.problem)))
        first.append(self.figure_sentence())
        causes = rng.sample(bank["causes"], 3)
        second = [self.fill(rng.choice(CAUSE_FIRST).replace("{cause}", causes[0]))]
        more = rng.sample(CAUSE_MORE, 2)
        impacts = rng.sample(bank["impacts"], 2) + rng.sample(GENERIC_IMPACTS, 1)
        rng.shuffle(impacts)
        extra = [
            self.fill(more[0].replace("{cause}", causes[1])),
            self.framed(impacts[0], IMPACT_FRAMES),
            self.fill(rng.choice(TRIGGERS)),
            self.framed(impacts[1], IMPACT_FRAMES),
            self.fill(more[1].replace("{cause}", causes[2])),
        ]
        for sentence in extra:
            if word_count(first + second) >= target:
                break
            second.append(sentence)
        return " ".join(first) + "\n\n" + " ".join(second)

    def action_paragraph(self, action, first):
        rng = self.rng
        opener = self.fresh(FIRST_OPENERS if first else LATER_OPENERS)
        subject = rng.choice(SUBJECTS)
        sentences = [self.fill(f"{opener}{subject} {action.vp}.")]
        details = self.primary.bank["details"] if action in self.primary.actions else []
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            own = details and rng.random() < 0.6
            text = rng.choice(details if own else GENERIC_DETAILS)
            if text in self.used:
                continue
            self.used.add(text)
            connector = rng.choice(DETAIL_CONNECTORS) if own else ""
            sentences.append(self.fill(connector + lower_first(text) if connector else text))
        return " ".join(sentences)

    def approach(self):
        rng = self.rng
        target = rng.triangular(150, 600, 260)
        starts = rng.sample(APPROACH_STARTS, rng.choice((1, 2, 2, 3)))
        paragraphs = [" ".join(self.fill(s) for s in starts)]
        for number, action in enumerate(self.actions):
            if number >= 1 and word_count(paragraphs) > target - 70:
                break
            paragraphs.append(self.action_paragraph(action, first=number == 0))
        extras = []
        if rng.random() < 0.6:
            extras.append(" ".join(self.fill(s) for s in rng.sample(INVOLVEMENT, 2)))
        if rng.random() < 0.55:
            extras.append(self.fill(rng.choice(TRAINING)))
        for extra in extras:
            if word_count(paragraphs) + word_count([extra]) <= 600:
                paragraphs.insert(rng.randint(2, len(paragraphs)), extra)
        if rng.random() < 0.3 and len(paragraphs) > 2:
            paragraphs.insert(rng.randint(2, len(paragraphs)), self.quote())
        monitoring = MONITORING[:]
        rng.shuffle(monitoring)
        if rng.random() < 0.7:
            paragraphs.append(self.fill(monitoring.pop().replace("{m}", self.measures[0][0].what)))
        # Short of the shortest approach a contributor would write: say more about the work.
        fillers = [s for s in GENERIC_DETAILS + INVOLVEMENT + TRAINING if s not in self.used]
        rng.shuffle(fillers)
        while word_count(paragraphs) < 150 and fillers:
            paragraphs[-1 if len(paragraphs) < 3 else -2] += " " + self.fill(fillers.pop())
        while word_count(paragraphs) > 600 and len(paragraphs) > 3:
            del paragraphs[-2]
        return "\n\n".join(paragraphs)

    def quote(self):
        rng, service = self.rng, self.provider.service
        text, voice, *role = rng.choice(self.primary.bank["quotes"])
        name = rng.choice(FIRST_NAMES)
        if voice == "person":
            who = f"{name}, {service.person_desc}"
        elif voice == "family":
            parent = "mother" if self.slots["parent"] == "Mum" else "father"
            who = f"{name}, whose {parent} {service.family_tail}"
        elif voice == "partner":
            who = f"Dr {rng.choice(SURNAMES)}, {role[0]}"
        else:
            who = f"{name}, {role[0] if role else 'a ' + service.staff_one}"
        return f"“{self.fill(text)}” ({who.format_map(self.slots)})"

    def outcomes(self):
        rng = self.rng
        period = {
            "k": in_words(self.months),
            "start": month_name(self.start),
            "end": month_name(self.end),
        }
        paragraphs = [rng.choice(OUTCOME_INTROS).format(**period)]
        for measure, before, after in self.measures:
            paragraphs.append(self.result_sentence(measure, before, after))
        feedback = rng.sample(
            FEEDBACK, rng.choice((0, 1, 1, 2, 2, 3) if len(self.measures) > 1 else (1, 2, 2, 3))
        )
        views = {"staff_view": rng.choice(STAFF_VIEWS), "people_view": rng.choice(PEOPLE_VIEWS)}
        for text in feedback:
            paragraphs.append(self.fill(text, **views))
        if rng.random() < 0.2:
            paragraphs.insert(rng.randint(1, len(paragraphs)), self.quote())
        if rng.random() < 0.3:
            paragraphs.append(self.fill(rng.choice(CAVEATS)))
        return "\n\n".join(paragraphs)

    @property
    def months(self):
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month

    def lessons(self):
        rng, bank = self.rng, self.primary.bank
        unused = [a.np for a in self.primary.actions if a not in self.actions] or [
            "a weekly checklist"
        ]
        sentences = [
            self.framed(s, LESSON_FRAMES) for s in rng.sample(bank["lessons"], rng.randint(1, 3))
        ]
        for text in rng.sample(GENERIC_LESSONS, rng.randint(1, 2)):
            text = (
                text.replace("{why}", rng.choice(WHY_NOT))
                .replace("{differently}", rng.choice(DIFFERENTLY))
                .replace("{reason}", rng.choice(DROPPED_BECAUSE))
                .replace("{unused}", rng.choice(unused))
                .replace("{np}", self.actions[0].np)
            )
            sentences.insert(rng.randint(0, len(sentences)), self.fill(text))
        if len(sentences) <= 2 or rng.random() < 0.4:
            return " ".join(sentences)
        return "\n\n".join(sentences)

    def adoption(self, contact):
        rng, bank = self.rng, self.primary.bank
        items = rng.sample(bank["resources"], min(len(bank["resources"]), rng.randint(1, 3)))
        costs = [(item, rng.randint(low, high)) for item, low, high in items]
        trained = rng.randint(8, max(10, self.provider.staff_n))
        training = trained * rng.choice((2, 3, 4)) * rng.uniform(11, 14)  # hours x £ an hour
        listed = ", ".join(
            f"{item} ({money(cost)})" if cost else f"{item} (free to us)" for item, cost in costs
        )
        figures = {
            "total": money(sum(cost for _, cost in costs) + training),
            "listed": listed,
            "main": costs[0][0],
            "trained": str(trained),
            "training": money(training),
        }
        lines = [self.fill(rng.choice(ADOPTION_COSTS), **figures)]
        for templates in (ADOPTION_TIME, ADOPTION_PEOPLE):
            if rng.random() < 0.9:
                lines.append(self.fill(rng.choice(templates)))
        offers = contact.get("offers", [])
        who = {"who": contact["name"].split()[0] if contact else "We"}
        materials = rng.sample(bank["materials"], 2)
        offered = []
        if "materials" in offers:
            offered.append(
                self.fill(rng.choice(OFFER_MATERIALS), one=materials[0], two=materials[1], **who)
            )
        if "visit" in offers:
            offered.append(self.fill(rng.choice(OFFER_VISITS), **who))
        if "mentoring" in offers:
            offered.append(self.fill(rng.choice(OFFER_MENTORING), **who))
        if offered:
            lines.append(" ".join(offered))
        return "\n\n".join(lines)

    def summary(self, figure_sentence):
        rng = self.rng
        nps = [a.np for a in self.actions[: rng.randint(1, 3)]]
        listed = nps[0] if len(nps) == 1 else ", ".join(nps[:-1]) + " and " + nps[-1]
        opener = rng.choice(SUMMARY_OPENERS).replace("{figure}", figure_sentence)
        opener = opener.replace("{problem}", self.problem)
        action = rng.choice(SUMMARY_ACTIONS).replace("{nps}", listed)
        action = action.replace("{k}", in_words(self.months))
        measure, before, after = self.measures[0]
        parts = [self.fill(opener), self.fill(action), self.result_sentence(measure, before, after)]
        if len(self.measures) > 1 and rng.random() < 0.5:
            parts.append(self.result_sentence(*self.measures[1]))
        while len(" ".join(parts)) > 600 and len(parts) > 2:
            parts.pop(1 if len(parts) == 3 else -1)
        return " ".join(parts)[:600]

    def contact(self):
        rng = self.rng
        first, surname = rng.choice(self.provider.staff)
        contact = {"name": f"{first} {surname}"}
        if rng.random() < 0.92:
            local = re.sub(r"[^a-z.]", "", f"{first}.{surname}".lower())
            contact["email"] = f"{local}@{self.provider.email_domain}"
        if rng.random() < 0.8:
            contact["offers"] = weighted_sample(
                rng, {"visit": 3, "mentoring": 2, "materials": 3}, rng.choice((1, 2, 2, 3))
            )
        return contact

    def evidence_types(self):
        rng = self.rng
        chosen = [
            slug
            for slug, chance in (
                ("practice-knowledge", 0.9),
                ("lived-experience", 0.45),
                ("research", 0.3),
            )
            if rng.random() < chance
        ]
        return chosen or ["practice-knowledge"]

    def record(self):
        rng = self.rng
        contact = self.contact() if rng.random() < 0.88 else {}
        figure = self.figure_sentence()
        record = {
            "id": f"scale-{self.index + 1:06d}",
            "title": self.title(),
            "summary": self.summary(figure),
            "challenge": self.challenge() if rng.random() < 0.96 else "",
            "approach": self.approach(),
            "outcomes": self.outcomes() if rng.random() < 0.95 else "",
            "lessons": self.lessons() if rng.random() < 0.88 else "",
            "adoption": self.adoption(contact) if rng.random() < 0.82 else "",
            "provider": provider_copy(self.provider.record),
            "themes": [theme.slug for theme in self.themes],
            "innovation_types": self.innovation_types,
            "key_questions": self.key_questions,
            "quality_statements": self._quality_statements(),
            "evidence_types": self.evidence_types() if rng.random() < 0.96 else [],
            "published": self.published.isoformat(),  # always: a re-import must find it unchanged
            "contact": contact,
        }
        # Optional fields that are empty are left out, as export writes them.
        return {key: value for key, value in record.items() if value not in ("", [], {})}


def provider_copy(record):
    """Each record its own provider dict, so a caller may change one without the others."""
    copy = dict(record)
    if "key_question_ratings" in copy:
        copy["key_question_ratings"] = dict(copy["key_question_ratings"])
    return copy


def generate(n, seed=1):
    """Yield n case study records (dicts in the interchange format), deterministically."""
    roster = ProviderRoster(seed)
    titles = set()
    for index in range(n):
        yield CaseStudyWriter(seed, index, roster.next_provider(), titles).record()


def write(out, n, seed, progress):
    tenth = n // 10 if progress else 0
    for number, record in enumerate(generate(n, seed), start=1):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        if tenth and number % tenth == 0:
            print(f"corpus: {number:,} of {n:,} case studies", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many case studies")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", help="a JSONL file to write (default: standard output)")
    args = parser.parse_args()
    if args.output:
        # Progress only when it cannot mix with the records and the wait is worth reporting.
        with open(args.output, "w", encoding="utf-8") as out:
            write(out, args.n, args.seed, progress=args.n >= 10_000)
    else:
        try:
            write(sys.stdout, args.n, args.seed, progress=False)
        except BrokenPipeError:  # piped into head: stop quietly, as other tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    main()
