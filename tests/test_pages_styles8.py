"""Page styles of the eighth development set (eval/pages/heldout8), each on a small page written for the
test: block quotes signed with a user name among others signed with full names."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import written_quotes, written_speakers

SIGNED_BY_HANDLES = """---
title: "Looking back at the Tide Tables sprint"
date: 2024-03-09
---

Participants of the sprint sent us their impressions. Here are a few of them:

> The sprint gave us a week to finally rewrite the harmonic solver. I did not expect so many people
> to care about tidal constituents.
>
> We also sketched a plan for the next release.
>
> — quillwort

> I came for the solver talks and stayed for the hallway conversations, which were the best part.
>
> — Hedda Marsh

> Being new to the project, I mostly listened, but I left with a list of things to fix next month.
>
> — Zorander

> The venue was quiet and the coffee was good, which is all a sprint needs to be productive.
>
> — Lucas Ferreira
"""


def test_a_block_quote_signed_with_a_user_name_ends_there_and_is_theirs(tmp_path: Path) -> None:
    quotes = written_quotes(tmp_path, "sprint.md", SIGNED_BY_HANDLES)
    assert [speaker for _, speaker in quotes] == ["quillwort", "Hedda Marsh", "Zorander", "Lucas Ferreira"]
    assert quotes[0][0].startswith("The sprint gave us") and "Hedda" not in quotes[0][0]


def test_a_lone_user_name_signature_credits_no_one_without_full_name_signatures(tmp_path: Path) -> None:
    text = "Notes from the sprint\n\nOne participant wrote to us.\n\n"
    text += "> The week was long but useful for all.\n>\n> — Anonymous\n"
    assert written_speakers(tmp_path, "notes.md", text) == ["an unnamed participant"]


BOLD_QUESTIONS = """---
title: "Meet the Lighthouse Keepers Guild"
date: 2024-06-01
author: "Oskar Lind"
---

Oskar Lind talked with Rosa Imbert and Tomas Greer, who run the Lighthouse Keepers Guild.

**Oskar: Could you tell us how you came to the guild?**

**Rosa**: I grew up on an island with a lighthouse, and I have kept one since I was twenty.

**Tomas**: I joined after a storm that I will never forget, and I have stayed ever since.

*The following answers were given jointly by Rosa and Tomas.*

**Oskar: What is the hardest part of the work you do?**

The winters are long and the lamps need care every night, whatever the weather does to us.

**Oskar: What would you tell someone who wants to join?**

1. Come and visit one of our towers for a night before you decide anything at all.

2. Bring warm clothes, because the stairs are cold even in summer.
"""


def test_answers_after_bold_questions_are_the_people_a_note_names(tmp_path: Path) -> None:
    quotes = written_quotes(tmp_path, "guild.md", BOLD_QUESTIONS)
    joint = [text for text, speaker in quotes if speaker == "Rosa Imbert and Tomas Greer"]
    assert [text[:20] for text in joint] == ["The winters are long", "Come and visit one o"]
    assert ("Could you tell us how you came to the guild?", "Oskar Lind") in quotes
    asked = [text for text, speaker in quotes if speaker == "Oskar Lind"]
    assert all("winters" not in text for text in asked)


def test_answers_after_bold_questions_without_a_note_are_no_guess_between_two(tmp_path: Path) -> None:
    page = BOLD_QUESTIONS.replace("*The following answers were given jointly by Rosa and Tomas.*\n\n", "")
    speakers = [speaker for text, speaker in written_quotes(tmp_path, "guild.md", page) if "winters" in text]
    assert speakers == []


def test_answers_after_bold_questions_are_the_one_person_answering(tmp_path: Path) -> None:
    page = BOLD_QUESTIONS.replace("*The following answers were given jointly by Rosa and Tomas.*\n\n", "")
    page = page.replace("**Tomas**: I joined", "**Rosa**: Then I joined")
    quotes = written_quotes(tmp_path, "guild.md", page)
    assert [speaker for text, speaker in quotes if text.startswith("The winters")] == ["Rosa Imbert"]


TITLE_LIST = """Harbour Choir Announces Spring Concerts

The Harbour Choir will sing at six venues this spring, its director Maren Solberg said on Monday.

“We have rehearsed all winter and the singers are ready for a long season,” Solberg said.

According to the programme, the choir will sing “Down By The Old Mill Stream,”
“Evening Falls On The Water,” “The Lantern Keeper's Daughter” and “Sailing Home Across The Bay” among others.
"""


def test_quoted_titles_in_a_list_are_nowritten_quotes(tmp_path: Path) -> None:
    quotes = written_quotes(tmp_path, "choir.md", TITLE_LIST)
    assert [speaker for _, speaker in quotes] == ["Maren Solberg"]


def test_three_quotations_each_ending_a_sentence_are_not_a_title_list(tmp_path: Path) -> None:
    listed = TITLE_LIST[TITLE_LIST.index("According") :]
    said = "Asked about the season, Solberg said: “We start in April.” “We end in June.” “Concerts are free.”"
    text = TITLE_LIST.replace(listed, said + "\n")
    assert len(written_quotes(tmp_path, "choir.md", text)) > 1


NUMBERED_LIST = """The Town's Worst Moments of the Year

Our columnist Ines Varga looks back at the year in the town, from worst to least bad.

4. The charity gala. The evening was dull, the food was cold and the speeches were long, and the
guest of honour Clara Mendez wrote about it herself afterwards in a letter to the paper.

5. Parking fees, again. Stop raising them every spring, council, and build the car park instead.

6. The bridge repairs. They closed the bridge for the whole summer and reopened it in November.
"""


def test_the_next_item_of_a_numbered_list_is_no_quote(tmp_path: Path) -> None:
    assert written_quotes(tmp_path, "worst.md", NUMBERED_LIST) == []


SPOKESWOMAN = """Chemical Plant to Reopen After Leak

A chemical plant in the river port closed last week after a leak of chlorine gas, the fire service said.

“The plant will reopen in May once every valve has been replaced and tested,” said a Norvane spokeswoman
when contacted by the Courier.

The mayor, Lise Okafor, said she would visit the plant before it reopened.

“We will not allow anyone back in until the inspectors say it is safe,” said an Okafor spokesman.
"""


def test_a_spokesperson_named_after_an_organisation_speaks_for_it(tmp_path: Path) -> None:
    speakers = written_speakers(tmp_path, "plant.md", SPOKESWOMAN)
    assert speakers[0] == "Norvane"
    assert speakers[-1] == "an unnamed spokesman"  # speaks for the mayor, is not the mayor


GROUP_BESIDE = """Nurses Protest Hospital Rota

Night nurses at the county hospital have organised to fight a new rota. The group, Night Shift Alliance,
formed this spring and wrote to the hospital board last month.

The board said the rota would stay in place until the end of the year.

In a statement on Friday, the group added that the board
“has ignored every proposal we made to keep the wards safe at night.”
"""


def test_a_definite_description_is_the_name_set_beside_it_before(tmp_path: Path) -> None:
    assert written_speakers(tmp_path, "rota.md", GROUP_BESIDE) == ["Night Shift Alliance"]


COLON_LOST = """---
title: "Inside the Map Tiles team"
date: 2024-02-11
---

In this interview, Wren Okoye talks with Pavel Stroud about the map tiles team.

**Wren Okoye (WO)**: Hello Pavel, could you tell us what your team does?

**Pavel Stroud (PS)**: Hello! I lead the map tiles team, and I have done so for three years now.

**WO**: What changes during a release?

**PS** During a release I freeze the tile schema, and we only fix the bugs that block the release.

**WO**: Anything else you would like to share?

**PS**: We always need reviewers, so come and say hello in the chat.
"""


def test_a_bold_label_that_lost_its_colon_is_the_turn_of_the_same_label(tmp_path: Path) -> None:
    quotes = written_quotes(tmp_path, "tiles.md", COLON_LOST)
    assert (
        "During a release I freeze the tile schema, and we only fix the bugs that block the release.",
        "Pavel Stroud",
    ) in quotes
    asked = [text for text, speaker in quotes if speaker == "Wren Okoye"]
    assert all("freeze" not in text for text in asked)


TWO_PARTS = """Minister Defends Budget

Finance minister Karl Osei was asked whether the budget would cut school funding, and he paused.

“Oh, really? No,” he assures the reporter. “Schools will get more money next year than this year.”

After reading out “Lessons For The Future,” the minister told the room, “we have done our homework.”
"""


def test_a_short_first_part_split_by_a_said_clause_is_words_said(tmp_path: Path) -> None:
    quotes = written_quotes(tmp_path, "budget.md", TWO_PARTS)
    assert ("Oh, really? No", "Karl Osei") in quotes
    assert ("Schools will get more money next year than this year.", "Karl Osei") in quotes


def test_a_title_inside_a_sentence_before_a_said_clause_is_no_quote(tmp_path: Path) -> None:
    texts = [text for text, _ in written_quotes(tmp_path, "budget.md", TWO_PARTS)]
    assert not any(text.startswith("Lessons") for text in texts)
